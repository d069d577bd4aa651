import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// package.json
var package_default = {
  name: "release-sigcheck",
  version: "0.1.0",
  description: "Checks that every OpenShift release promoted by cincinnati-graph-data carries an OpenPGP and a Sigstore signature that clusters will accept.",
  license: "Apache-2.0",
  type: "module",
  bin: {
    "release-sigcheck": "dist/cli.js"
  },
  files: [
    "dist/",
    "action.yml",
    "README.md"
  ],
  engines: {
    node: "^22.22.0 || >=24.0.0"
  },
  scripts: {
    bundle: "node scripts/bundle.mjs",
    "check-dist": "node scripts/bundle.mjs --check",
    typecheck: "tsc --noEmit",
    lint: "eslint .",
    test: "npm run typecheck && npm run lint && node scripts/gen-baked-keys.mjs --check && node scripts/gen-action.mjs --check && node scripts/layers.mjs > /dev/null && vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json",
    "test:unit": "vitest run",
    bench: "node bench/run.ts",
    demo: "node dist/cli.js demo",
    "gen-keys": "node scripts/gen-baked-keys.mjs",
    "bench:verify": "node bench/verify.ts",
    layers: "node scripts/layers.mjs",
    "gen-action": "node scripts/gen-action.mjs",
    "check-action": "node scripts/gen-action.mjs --check"
  },
  allowScripts: {
    node: true,
    esbuild: true
  },
  dependencies: {
    "@actions/cache": "^6.3.0",
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@sigstore/bundle": "^5.0.1",
    "@sigstore/verify": "^4.1.3",
    openpgp: "^6.3.2",
    "p-limit": "^7.3.3",
    undici: "^8.12.4",
    yaml: "^2.9.1"
  },
  devDependencies: {
    "@eslint/js": "^10.0.1",
    "@types/node": "^24.19.2",
    esbuild: "^0.28.2",
    eslint: "^10.15.0",
    node: "^24.21.0",
    typescript: "^5.9.3",
    "typescript-eslint": "^8.73.0",
    vitest: "^4.1.12"
  }
};

// src/model/tool.ts
var TOOL = { name: package_default.name, version: package_default.version };

export {
  TOOL
};
