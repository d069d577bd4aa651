import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/commands/index.ts
var COMMANDS = {
  check: {
    summary: "check the release nodes graph-data promotes (default command)",
    load: async () => (await import("./check-5EAVQ4BD.js")).runCheckCommand
  },
  configmap: {
    summary: "verify the OpenPGP signatures in signature ConfigMaps, or --write one (disconnected clusters)",
    load: async () => (await import("./configmap-D55XZ6EU.js")).runConfigMapCommand
  },
  image: {
    summary: "check one release image by tag or digest (every instance of a manifest list)",
    load: async () => (await import("./image-EUEYRGBY.js")).runImageCommand
  },
  mirror: {
    summary: "check a disconnected mirror: release images, every instance, .sig tags and signature ConfigMaps",
    load: async () => (await import("./mirror-YE6DMV7C.js")).runMirrorCommand
  },
  signature: {
    summary: "verify one signature offline: an OpenPGP file or a .sig tag in an OCI layout",
    load: async () => (await import("./signature-GFK2CAGJ.js")).runSignatureCommand
  },
  policy: {
    summary: "policy render: the policy.json and registries.d nodes get from ClusterImagePolicy, ImagePolicy and image config",
    load: async () => (await import("./policy-5CYN2URW.js")).runPolicyCommand
  },
  demo: {
    summary: "a complete run against built-in releases on a local registry (no network, no setup)",
    load: async () => (await import("./demo-XAKJAVCU.js")).runDemoCommand
  },
  "merge-reports": {
    summary: "join the JSON reports of a sharded audit (--shard K/N) into one",
    load: async () => (await import("./merge-reports-S77NB2X6.js")).runMergeReportsCommand
  }
};

export {
  COMMANDS
};
