/**
 * The option table: every option of every command and of the Action, declared once with its name,
 * type, documented default, help, the commands that take it, whether it is an Action input, and
 * whether the repository's `release-sigcheck.yaml` may set it (who may set it: SECURITY.md). The
 * parseArgs specs, every `--help`, the config-file keys and `action.yml` are derived from it
 * (`npm run check-action` fails when action.yml differs from what this table generates).
 *
 * Defaults are documented here and applied in one place, after the config file (registry.ts
 * `toCheckConfig`), so an Action input that was not given never overrides the file.
 */
/**
 * How a key of `release-sigcheck.yaml` is read: one value, a list, or a path (or paths) resolved
 * against the file's folder. An option without a config kind is the workflow's alone: the file in
 * the repository cannot set it (SECURITY.md: the cache, the scope's sides, the config file itself).
 */
export type ConfigKind = 'string' | 'list' | 'path' | 'paths';

export type CommandName = 'check' | 'image' | 'mirror' | 'configmap' | 'signature' | 'merge-reports' | 'demo' | 'policy';
export const COMMAND_NAMES: readonly CommandName[] = ['check', 'image', 'mirror', 'configmap', 'signature', 'merge-reports', 'demo', 'policy'];

export type OptionType = 'string' | 'list' | 'boolean';

export type OptionGroup = 'Scope' | 'Releases' | 'Mirrors' | 'Signatures' | 'Writing ConfigMaps' | 'Rendering node policies' | 'Output' | 'Registry and signature stores' | 'Trust' | 'Audit' | 'What changed' | 'Action';

export interface OptionDef {
  /** The long name: the CLI flag `--name`, the Action input `name`, the config-file key `name`. */
  readonly name: string;
  /** The field it fills in the check's flags, when not the camelCase form of `name`. */
  readonly key?: string;
  /** Older names still accepted, with a note that says the new one. */
  readonly deprecatedAliases?: readonly string[];
  readonly type: OptionType;
  readonly short?: string;
  /** The value's placeholder in help: FILE, N, LIST, DURATION, ... */
  readonly value?: string;
  /** One line for people; the default is appended from `default`. */
  readonly help: string;
  /** The documented default (applied by the parsers, never by the Action's input defaults). */
  readonly default?: string;
  readonly group: OptionGroup;
  /** The commands that take it; a string is that command's own wording of the help. */
  readonly commands: Readonly<Partial<Record<CommandName, true | string>>>;
  /** The repository's config file may set it (read from the trusted side); absent: the workflow's alone. */
  readonly config?: ConfigKind;
  /** An input of the Action (the check command's options are, unless false; Action-only ones too). */
  readonly action?: boolean;
  /** The Action input's description, when the CLI help's does not fit. */
  readonly actionHelp?: string;
  /** The Action input's default as GitHub should apply it (only where no config file could disagree). */
  readonly actionDefault?: string;
}

const ALL_FORMATS = 'text (default), json, github, junit, sarif, html';

export const OPTIONS: readonly OptionDef[] = [
  // Scope
  { name: 'graph-data', type: 'string', value: 'DIR', help: 'graph-data checkout to walk', default: '.', group: 'Scope', commands: { check: true, mirror: 'take releases from a graph-data checkout (with --channel)' }, actionHelp: 'graph-data checkout to walk, relative to the workspace', actionDefault: '.' },
  { name: 'base', type: 'string', value: 'REF|DIR', help: "PR scope: only (channel, version) pairs absent from REF's merge-base with --head, or from directory DIR; configuration and key files are read there", group: 'Scope', commands: { check: true }, actionHelp: "PR scope: base git ref or directory (default on pull_request: the PR's base commit)" },
  { name: 'head', type: 'string', value: 'REF|DIR', help: 'the change\'s side (default: HEAD, or --graph-data when --base is a directory)', group: 'Scope', commands: { check: true }, actionHelp: "PR scope: head git ref or directory (default on pull_request: the PR's head commit)" },
  { name: 'deepen', type: 'boolean', help: 'in a shallow clone, fetch history to find the merge-base', group: 'Scope', commands: { check: true }, action: false },
  // `--version` alone prints the tool's version; a release is `--release` (the old spelling still works).
  { name: 'release', key: 'version', deprecatedAliases: ['version'], type: 'list', value: 'V', help: 'check release V (repeatable); 4.18.3 also selects 4.18.3+<arch> entries', group: 'Scope', commands: { check: true, mirror: 'release V (repeatable)', configmap: 'with --write: release V, resolved in --release-repo (repeatable)' }, actionHelp: 'release versions to check, one per line (instead of graph-data scope); the old input name version still works' },
  { name: 'channel', type: 'list', value: 'GLOB', help: "only channels matching GLOB, e.g. 'fast-4.*' (repeatable)", group: 'Scope', commands: { check: true, mirror: "channels of --graph-data, e.g. 'stable-4.21' (repeatable)" }, config: 'list', actionHelp: 'channel globs to restrict the check to, one per line, e.g. stable-4.*' },
  { name: 'arch', type: 'string', value: 'LIST', help: 'architectures', default: 'amd64,arm64,s390x,ppc64le,multi', group: 'Scope', commands: { check: true, mirror: true, configmap: 'with --write: architectures of --version; those not published are skipped' }, config: 'list', actionHelp: 'architectures, comma-separated' },
  { name: 'require', type: 'string', value: 'LIST', help: 'checks a node must pass: openpgp and sigstore for the release image, components for every component image of its payload', default: 'openpgp,sigstore,components', group: 'Scope', commands: { check: true, image: true }, config: 'list', actionHelp: 'checks each node must pass, comma-separated (openpgp, sigstore, components)' },
  { name: 'dry-run', type: 'boolean', help: 'list the selected nodes with their places, check nothing', group: 'Scope', commands: { check: true }, actionHelp: 'list the selected nodes and check nothing ("true" or "false")' },

  // Mirrors (the mirror command)
  { name: 'mirror', type: 'list', value: 'REPO', help: 'a mirror repository: host[:port]/path, https:// by default, http://host/path for plain HTTP (repeatable)', group: 'Mirrors', commands: { mirror: true }, action: false },
  { name: 'idms', type: 'list', value: 'FILE', help: 'ImageDigestMirrorSet or ImageContentSourcePolicy manifests: every mirror they map the source repository to is checked (repeatable)', group: 'Mirrors', commands: { mirror: true, policy: 'ImageDigestMirrorSet or ImageContentSourcePolicy manifests: their mirrors of each policy scope get use-sigstore-attachments, as the machine-config operator writes it (repeatable)' }, action: false },
  { name: 'plain-http', type: 'list', value: 'HOST', help: 'read mirrors on HOST[:PORT] over plain HTTP (for --idms mirrors; repeatable)', group: 'Mirrors', commands: { mirror: true }, action: false },
  { name: 'configmaps', type: 'list', value: 'PATH', help: "signature ConfigMaps: files, or directories such as the config/ of oc adm release mirror --to-dir or oc-mirror's cluster-resources/ (repeatable)", group: 'Mirrors', commands: { mirror: true }, action: false },

  // Signatures (the signature and configmap commands)
  { name: 'digest', type: 'string', value: 'DIGEST', help: 'the image digest the signature must sign (sha256:<64 hex>)', group: 'Signatures', commands: { signature: true }, action: false },
  { name: 'openpgp', type: 'string', value: 'FILE', help: 'an OpenPGP signature blob', group: 'Signatures', commands: { signature: true }, action: false },
  { name: 'sigstore-layout', type: 'string', value: 'DIR', help: 'an OCI image layout holding the .sig manifest and its blobs', group: 'Signatures', commands: { signature: true }, action: false },
  { name: 'write', type: 'string', value: 'DIR', help: 'write the signature ConfigMaps into DIR (created if missing)', group: 'Writing ConfigMaps', commands: { configmap: true }, action: false },
  { name: 'write', type: 'string', value: 'DIR', help: 'write the files under DIR at the paths nodes have them (DIR/etc/containers/policy.json, ...), instead of printing them', group: 'Rendering node policies', commands: { policy: true }, action: false },
  { name: 'manifests', type: 'list', value: 'FILE', help: 'ClusterImagePolicy, ImagePolicy and image.config.openshift.io (Image) manifests, YAML or JSON, several documents or a List per file (repeatable)', group: 'Rendering node policies', commands: { policy: true }, action: false },
  { name: 'digest', type: 'list', value: 'D', help: 'with --write: a payload digest instead of a version (repeatable; for multi, the manifest-list digest)', group: 'Writing ConfigMaps', commands: { configmap: true }, action: false },

  // Registry and signature stores
  { name: 'release-repo', type: 'string', value: 'REPO', help: 'release repository; signature identities must name it', default: 'quay.io/openshift-release-dev/ocp-release', group: 'Registry and signature stores', commands: { check: true, mirror: 'the source repository; it is what signature identities must name', configmap: 'with --write: where --version is resolved', signature: 'the repository identities must name' }, config: 'string', actionHelp: 'release repository' },
  { name: 'mirror', type: 'string', value: 'URL', help: 'fetch images and .sig tags from http(s)://host[:port]/repo/path instead; identities are still checked against --release-repo', group: 'Registry and signature stores', commands: { check: true, image: 'read the image and its .sig tag from this mirror repository instead' }, config: 'string', actionHelp: 'fetch images and .sig tags from this mirror, http(s)://host[:port]/repository/path' },
  { name: 'signature-store', type: 'list', value: 'URL', help: 'OpenPGP signature store (repeatable)', default: 'the two Red Hat stores', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: 'signature store the ConfigMap remedy reads (repeatable)', configmap: 'with --write: signature store to read (repeatable)' }, config: 'list', actionHelp: 'OpenPGP signature stores, one URL per line' },
  { name: 'concurrency', type: 'string', value: 'N', help: 'requests in flight per host', default: '16', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true }, config: 'string' },
  { name: 'retries', type: 'string', value: 'N', help: 'retries per request for 429, 5xx, resets and timeouts', default: '5', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true, configmap: true }, config: 'string' },
  { name: 'timeout', type: 'string', value: 'DURATION', help: 'per-request timeout, e.g. 30s', default: '30s', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true, configmap: true }, config: 'string' },
  { name: 'deadline', type: 'string', value: 'DURATION', help: 'end the run after this long, e.g. 90m; what is left is an error (exit 3)', default: '30m', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true, configmap: 'with --write: end the run after this long' } },
  { name: 'ca-file', type: 'list', value: 'FILE', help: 'also trust this CA certificate (PEM, repeatable); NODE_EXTRA_CA_CERTS works too', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true, configmap: 'with --write: also trust this CA certificate (PEM, repeatable)' } },
  { name: 'tls-verify', type: 'string', value: 'true|false', help: 'verify TLS certificates (--tls-verify=false: for every host; prefer --insecure-registry for one)', default: 'true', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true, configmap: 'with --write: verify TLS certificates' } },
  { name: 'insecure-registry', type: 'list', value: 'HOST[:PORT]', help: 'do not verify the TLS certificate of this host (repeatable; without a port, every port)', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true, configmap: 'with --write: do not verify the TLS certificate of this host (repeatable)' } },
  { name: 'authfile', type: 'string', value: 'FILE', help: "registry credentials file (default: REGISTRY_AUTH_FILE, then podman's and docker's files); credHelpers and credsStore helpers are run", group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true, configmap: 'with --write: registry credentials file' } },
  { name: 'rate', type: 'string', value: 'N', help: 'at most N requests per second per host (adapts down on 429)', group: 'Registry and signature stores', commands: { check: true }, config: 'string' },
  { name: 'payload-max-download', type: 'string', value: 'SIZE', help: "bytes of a release payload's layers downloaded at most (top layer first; a real payload's manifests layer is a few MB), e.g. 512MiB", default: '512MiB', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true }, config: 'string' },
  { name: 'payload-max-unpacked', type: 'string', value: 'SIZE', help: "bytes a release payload's layers unpack to at most, e.g. 2GiB", default: '2GiB', group: 'Registry and signature stores', commands: { check: true, image: true, mirror: true }, config: 'string' },

  // Trust
  { name: 'openpgp-key', type: 'list', value: 'FILE', help: 'also trust this OpenPGP public key (armored or binary, repeatable); Red Hat release key 2 and beta key 2 are always trusted', group: 'Trust', commands: { check: true, image: true, mirror: 'also trust this OpenPGP key for the ConfigMaps (repeatable)', configmap: true, signature: true }, config: 'paths', actionHelp: 'additional trusted OpenPGP public key files, one per line' },
  { name: 'sigstore-key', type: 'list', value: 'FILE', help: 'also trust this PEM public key for Sigstore (repeatable)', group: 'Trust', commands: { check: true, image: true, mirror: true, signature: true }, config: 'paths', actionHelp: 'additional trusted Sigstore PEM public key files, one per line' },
  { name: 'image-policy', type: 'string', value: 'FILE', help: 'take Sigstore trust from a ClusterImagePolicy or ImagePolicy manifest', group: 'Trust', commands: { check: true, image: true, mirror: true, signature: true }, config: 'path', actionHelp: 'ClusterImagePolicy or ImagePolicy manifest to take Sigstore trust from' },
  { name: 'policy-json', type: 'string', value: 'FILE', help: "decide CRI-O's check with a node's containers-policy.json(5) (every requirement type: signedBy, sigstoreSigned, reject, insecureAcceptAnything), instead of the openshift ClusterImagePolicy", group: 'Trust', commands: { check: true, image: true }, config: 'path', actionHelp: "a node's containers-policy.json to decide CRI-O's check with, instead of the openshift ClusterImagePolicy" },
  { name: 'registries-d', type: 'string', value: 'DIR', help: "with --policy-json: the node's registries.d directory (lookaside URLs for signedBy, use-sigstore-attachments for sigstoreSigned)", group: 'Trust', commands: { check: true, image: true }, config: 'path', actionHelp: "with policy-json: the node's registries.d directory (lookasides, use-sigstore-attachments)" },

  // Audit
  { name: 'cache', type: 'string', value: 'FILE', help: 'reuse verified results keyed by digest, trust, sources and verdict rules (set by the workflow only)', group: 'Audit', commands: { check: true }, actionHelp: 'verified-result cache file under the workspace or $RUNNER_TEMP (persisted between runs with actions/cache); set by the workflow only' },
  { name: 'cache-mode', type: 'string', value: 'MODE', help: 'revalidate: confirm each cached verdict with one request per signature (a deleted or replaced signature is found); trust: reuse cached verdicts with no request', default: 'revalidate', group: 'Audit', commands: { check: true }, actionHelp: 'revalidate (confirm each cached verdict, one request per signature) or trust (reuse cached verdicts unconfirmed)' },
  { name: 'skip', type: 'string', value: 'FILE', help: 'skip entries (version, arch, check, reason, expiry)', group: 'Audit', commands: { check: true }, actionHelp: 'skip file (version, arch, check, reason, expiry)' },
  { name: 'sigstore-from', type: 'string', value: 'V', help: 'versions before V need only OpenPGP', group: 'Audit', commands: { check: true }, config: 'string', actionHelp: 'versions before this one need only OpenPGP' },
  { name: 'components-from', type: 'string', value: 'V', help: 'versions before V need no components check (their clusters verify the release image only; the openshift ClusterImagePolicy covers component images since 4.22.0)', group: 'Audit', commands: { check: true }, config: 'string', actionHelp: 'versions before this one need no components check' },
  // A graph API is a source of what clusters are offered: like the stores, the workflow's alone (SECURITY.md).
  { name: 'cincinnati', type: 'string', value: 'URL|none', help: "audit: compare every node with the Cincinnati graph of each public channel and architecture checked (drift, lag), and judge each update edge the graph serves under the source release's keys and policy; none: off", default: 'https://api.openshift.com/api/upgrades_info/graph with the default --release-repo, else none', group: 'Audit', commands: { check: true }, actionHelp: 'Cincinnati graph API to cross-check an audit against (drift, lag, update edges), or none' },
  { name: 'shard', type: 'string', value: 'K/N', help: 'check the K-th of N deterministic shards (join with merge-reports)', group: 'Audit', commands: { check: true }, actionHelp: 'K/N: check one of N deterministic shards (for a matrix audit)' },
  // The baseline decides what `--fail-on new` forgives: like the cache, the workflow's alone.
  { name: 'previous', type: 'string', value: 'REPORT.json', help: 'compare with the JSON report of an earlier run (a merged shard report too): newly failing, newly passing, newly unchecked, moved tags, signatures that disappeared; reports lead with it. A file that does not exist is a first run: every failure counts as new', group: 'What changed', commands: { check: true, 'merge-reports': 'compare the merged report with an earlier run\'s; a file that does not exist is a first run: every failure counts as new' }, actionHelp: 'JSON report of an earlier run to compare with (restore it with actions/cache or actions/download-artifact); a path that does not exist is a first run (every failure counts as new); set by the workflow only' },
  { name: 'fail-on', type: 'string', value: 'new|any', help: 'any: every failure fails the run; new: only failures the previous report did not have (exit 1), or nodes newly unchecked (exit 3)', default: 'any', group: 'What changed', commands: { check: true, 'merge-reports': true }, actionHelp: 'any (default): every failure fails the step; new: only failures the previous report did not have (needs previous)' },
  { name: 'config', type: 'string', value: 'FILE', help: 'options file (default: release-sigcheck.yaml in --graph-data, if any; in PR scope read at the merge-base)', group: 'Audit', commands: { check: true }, actionHelp: 'options file (default: release-sigcheck.yaml in graph-data, if present); on pull requests it is read as it is at the merge-base' },

  // Output
  { name: 'format', type: 'string', value: 'FORMAT', help: `stdout format: ${ALL_FORMATS}`, group: 'Output', commands: { check: true, image: true, mirror: 'text (default) or json (the mirror report: findings with remedies as argv and as a shell line), or github, junit, sarif, html (the shared report: a node per release, a finding per gap)', configmap: 'text (default) or json', signature: 'text (default) or json: {outcome, reason, signer, identity}', 'merge-reports': 'stdout format: json (default), text, github, junit, sarif, html', demo: true, policy: 'text (default: each file under a header) or json ({path: contents})' }, action: false },
  { name: 'output', type: 'list', value: '[FORMAT:]FILE', help: 'also write a report file (repeatable); FORMAT from the extension if omitted (.json, .xml, .sarif, .txt, .html)', group: 'Output', commands: { check: true, image: true, mirror: 'also write a report file in a shared format (repeatable): json, junit, sarif, html, text, github; FORMAT from the extension if omitted', 'merge-reports': 'also write the merged report to FILE (repeatable; .html: one page)', demo: true }, actionHelp: 'additional report files, one per line, [FORMAT:]FILE' },
  { name: 'quiet', type: 'boolean', short: 'q', help: 'text: list only nodes that did not pass', group: 'Output', commands: { check: true, image: true, mirror: 'text: only releases with gaps or errors' }, action: false },
  { name: 'keep', type: 'boolean', help: 'keep the generated graph-data and keys, and print where they are', group: 'Output', commands: { demo: true }, action: false },

  // The Action's own inputs
  { name: 'version', type: 'list', help: 'deprecated: the old name of the input release', group: 'Action', commands: {}, action: true },
  { name: 'command', type: 'string', help: 'the command to run: check (default), or image, mirror, configmap, signature, merge-reports, policy with its command line in args', group: 'Action', commands: {}, action: true, actionDefault: 'check' },
  { name: 'args', type: 'list', help: 'with another command than check: its arguments, one per line, as on the command line (e.g. --mirror, then registry.example.com:5000/ocp4/openshift4, then --release, then 4.21.3)', group: 'Action', commands: {}, action: true },
  { name: 'mode', type: 'string', help: 'auto (PR scope on pull_request events, audit otherwise), pr or audit', group: 'Action', commands: {}, action: true, actionDefault: 'auto' },
  { name: 'report', type: 'string', help: 'where to write the JSON report (default: $RUNNER_TEMP/release-sigcheck-report.json)', group: 'Action', commands: {}, action: true },
  { name: 'comment', type: 'boolean', help: 'on pull requests, create or update one comment with the result', group: 'Action', commands: {}, action: true, actionDefault: 'false' },
  { name: 'github-token', type: 'string', help: 'token for the PR comment', group: 'Action', commands: {}, action: true, actionDefault: '${{ github.token }}' },
];

/** The options a command takes, in table order, with that command's wording of each help. */
export function optionsOf(command: CommandName): (OptionDef & { commandHelp: string })[] {
  return OPTIONS.flatMap((o) => {
    const c = o.commands[command];
    return c === undefined ? [] : [{ ...o, commandHelp: c === true ? o.help : c }];
  });
}

/** The node:util parseArgs options of a command (`--help`/`-h` included). */
export function parseArgsSpec(command: CommandName): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  const spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const o of optionsOf(command)) {
    const one = { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const), ...(o.type === 'list' ? { multiple: true } : {}) };
    spec[o.name] = { ...one, ...(o.short ? { short: o.short } : {}) };
    for (const alias of o.deprecatedAliases ?? []) spec[alias] = one;
  }
  return spec;
}

/** Wraps `text` to `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${' '.repeat(indent)}${l}`));
}

/** The options sections of a command's --help, grouped, each with its default. */
export function optionsHelp(command: CommandName, groups?: readonly OptionGroup[]): string {
  const opts = optionsOf(command);
  const order = groups ?? [...new Set(opts.map((o) => o.group))];
  const col = 26;
  const out: string[] = [];
  for (const group of order) {
    const inGroup = opts.filter((o) => o.group === group);
    if (inGroup.length === 0) continue;
    out.push(`${group}:`);
    for (const o of inGroup) {
      const flag = `  --${o.name}${o.short ? `, -${o.short}` : ''}${o.value ? ` ${o.value}` : ''}`;
      const text = !o.default ? o.commandHelp : o.commandHelp.endsWith(')') ? `${o.commandHelp.slice(0, -1)}; default: ${o.default})` : `${o.commandHelp} (default: ${o.default})`;
      const body = wrap(text, 100 - col, col);
      out.push(flag.length < col - 1 ? `${flag.padEnd(col)}${body.join('\n')}` : `${flag}\n${' '.repeat(col)}${body.join('\n')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The edit distance of two short strings, a swap of neighbours counting one (for "did you mean"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest of `candidates` to `word`, when it is close enough to be what was meant. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 3 ? 0.5 : distance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** The Action's inputs: the check command's options (unless excluded) and the Action's own. */
export function actionInputs(): OptionDef[] {
  return OPTIONS.filter((o) => o.action ?? o.commands.check !== undefined);
}
