import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers (registry, signature store) on loopback; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting on real servers and child processes (registry, gpg, the CLI),
    // not on this process's CPU, so more files run at once than the cores vitest would assume (n-1).
    maxWorkers: 3,
    reporters: ['default'],
  },
});
