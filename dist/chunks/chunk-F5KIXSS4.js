import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// package.json
var package_default = {
  name: "release-sigcheck",
  version: "0.1.0",
  description: "Checks that every OpenShift release promoted by cincinnati-graph-data carries an OpenPGP and a Sigstore signature that clusters will accept.",
  license: "Apache-2.0",
  repository: {
    type: "git",
    url: "git+https://github.com/openshift/release-sigcheck.git"
  },
  homepage: "https://github.com/openshift/release-sigcheck#readme",
  bugs: {
    url: "https://github.com/openshift/release-sigcheck/issues"
  },
  type: "module",
  bin: {
    "release-sigcheck": "dist/cli.js"
  },
  files: [
    "dist/",
    "action.yml",
    "README.md",
    "CHANGELOG.md",
    "LICENSE"
  ],
  engines: {
    node: "^22.22.2 || ^24.15.0 || >=26.0.0"
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
    "preview-summary": "node scripts/preview-summary.ts",
    "gen-keys": "node scripts/gen-baked-keys.mjs",
    "bench:verify": "node bench/verify.ts",
    layers: "node scripts/layers.mjs",
    "gen-action": "node scripts/gen-action.mjs",
    "check-action": "node scripts/gen-action.mjs --check",
    "bench:report-page": "node --expose-gc bench/report-page.ts",
    "preview-report": "node scripts/preview-report.ts",
    "bench:sig-layers": "node bench/sig-layers.ts"
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
    "tar-stream": "^3.2.2",
    "unbzip2-stream": "^1.4.3",
    undici: "^8.12.4",
    yaml: "^2.9.1"
  },
  devDependencies: {
    "@eslint/js": "^10.0.1",
    "@types/node": "^24.19.2",
    "@types/tar-stream": "^3.1.5",
    esbuild: "^0.28.2",
    eslint: "^10.15.0",
    "github-markdown-css": "^5.9.0",
    marked: "^18.2.1",
    node: "^24.21.0",
    "playwright-core": "^1.65.1",
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
