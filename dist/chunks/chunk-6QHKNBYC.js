import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/commands/index.ts
var COMMANDS = {
  check: {
    summary: "check the release nodes graph-data promotes (default command)",
    load: async () => (await import("./check-SOHIYQ4L.js")).runCheckCommand
  },
  configmap: {
    summary: "verify the OpenPGP signatures in signature ConfigMaps, or --write one (disconnected clusters)",
    load: async () => (await import("./configmap-YILGFS7U.js")).runConfigMapCommand
  },
  image: {
    summary: "check one release image by tag or digest (every instance of a manifest list)",
    load: async () => (await import("./image-JZ3CGB5Y.js")).runImageCommand
  },
  mirror: {
    summary: "check a disconnected mirror: release images, every instance, .sig tags and signature ConfigMaps",
    load: async () => (await import("./mirror-JXUSY6EP.js")).runMirrorCommand
  },
  signature: {
    summary: "verify one signature offline: an OpenPGP file or a .sig tag in an OCI layout",
    load: async () => (await import("./signature-QLU2GUSD.js")).runSignatureCommand
  },
  policy: {
    summary: "policy render: the policy.json and registries.d nodes get from ClusterImagePolicy, ImagePolicy and image config",
    load: async () => (await import("./policy-WJCHRZ7L.js")).runPolicyCommand
  },
  demo: {
    summary: "a complete run against built-in releases on a local registry (no network, no setup)",
    load: async () => (await import("./demo-TXRLBA6E.js")).runDemoCommand
  },
  "merge-reports": {
    summary: "join the JSON reports of a sharded audit (--shard K/N) into one",
    load: async () => (await import("./merge-reports-QYSQWXWM.js")).runMergeReportsCommand
  }
};

export {
  COMMANDS
};
