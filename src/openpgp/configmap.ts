/**
 * Signature ConfigMaps: how OpenPGP release signatures reach disconnected clusters.
 *
 * Readers accept what each writer produces:
 *  - `oc adm release mirror` (library-go GetSignaturesAsConfigmap): ConfigMap `sha256-<hex>` with
 *    binaryData keys `sha256-<hex>-1`, `-2`, ... (1-based); with `--to-dir`/`--release-image-signature-to-dir`
 *    as files `config/signature-sha256-<16 hex>.yaml|json`;
 *  - oc-mirror: ConfigMap `mirrored-release-signatures`, keys `sha256-<hex>-<n>`;
 *  - the cluster-version operator's own store: ConfigMap `signatures-managed`, keys `sha256-<hex>-0`, ... (0-based).
 * The operator (library-go store/configmap) lists ConfigMaps labelled
 * `release.openshift.io/verification-signatures` in `openshift-config-managed` and tries every
 * `binaryData` key that starts with `sha256-<hex>`; the suffix is not parsed and `data` (string)
 * entries are ignored. So is it here, and a note says so.
 *
 * The writer produces exactly what the operator reads (namespace, label, name, 1-based keys).
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Composer, LineCounter, Parser, stringify, type Document } from 'yaml';
import { yamlOverBudget } from '../yaml/budget.ts';
import { toConfigMapKeyPrefix, toDigest, type Digest } from '../model/digest.ts';
import { SigcheckError } from '../model/errors.ts';
import { readRegularFile } from '../fs/regular-file.ts';

export const SIGNATURE_CONFIGMAP_NAMESPACE = 'openshift-config-managed';
export const SIGNATURE_CONFIGMAP_LABEL = 'release.openshift.io/verification-signatures';
/** A Kubernetes object is at most 1 MiB; a file of several is allowed to be larger, within reason. */
export const MAX_CONFIGMAP_FILE_BYTES = 16 * 1024 * 1024;
/** YAML/JSON documents read from one file (a mirror's ConfigMaps are a few per release). */
export const MAX_CONFIGMAP_DOCUMENTS = 10_000;
/** Values a file may hold: its documents at some twenty values each (name, namespace, labels, one key per signature). */
export const MAX_CONFIGMAP_YAML_VALUES = 20 * MAX_CONFIGMAP_DOCUMENTS;
const CONFIGMAP_EXTENSIONS = ['.yaml', '.yml', '.json'];

const SIGNATURE_KEY = /^sha256-([0-9a-f]{64})/;

export interface ConfigMapSignature {
  /** The digest the key files the signature under (`sha256-<hex>` prefix of the key). */
  digest: Digest;
  /** The binaryData key, e.g. `sha256-<hex>-1`. */
  key: string;
  /** `namespace/name` (or `name` when the ConfigMap has no namespace). */
  configMap: string;
  /** `metadata.namespace`, when the document names one. */
  namespace?: string;
  /** The ConfigMap carries the release.openshift.io/verification-signatures label (any value). */
  labelled: boolean;
  file: string;
  /** `<file>: ConfigMap <ns/name> key <key>`, for reports. */
  source: string;
  /** The decoded blob; absent when the value could not be decoded (`problem` says why). */
  bytes?: Uint8Array;
  problem?: string;
}

export interface ConfigMapReadResult {
  signatures: ConfigMapSignature[];
  /** Things the user should know: ignored entries, missing labels, documents that are not ConfigMaps. */
  notes: string[];
  /** Files read, in order. */
  files: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Standard base64 with padding, as Kubernetes encodes binaryData; whitespace (line wrapping) is ignored. */
export function decodeBase64Strict(value: string): Uint8Array | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

type ConfigMapVisitor = (configMap: Record<string, unknown>, where: string) => void;

/** Visits every ConfigMap of a parsed document, in document order (`kind: List` items included). */
function visitConfigMaps(value: unknown, where: string, visit: ConfigMapVisitor, notes: string[], depth = 0): void {
  if (!isObject(value)) {
    if (value !== null && value !== undefined) notes.push(`${where}: not a Kubernetes object, ignored`);
    return;
  }
  const kind = value.kind;
  if ((kind === 'List' || kind === 'ConfigMapList') && Array.isArray(value.items) && depth < 4) {
    value.items.forEach((item, i) => visitConfigMaps(item, `${where} items[${i}]`, visit, notes, depth + 1));
    return;
  }
  if (kind !== 'ConfigMap') {
    notes.push(`${where}: ${typeof kind === 'string' ? `kind ${kind}` : 'an object without a kind'}, not a ConfigMap, ignored`);
    return;
  }
  visit(value, where);
}

function readConfigMap(doc: Record<string, unknown>, where: string, file: string, signatures: ConfigMapSignature[], notes: string[]): void {
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const configMap = namespace ? `${namespace}/${name}` : name;
  const label = `${where}: ConfigMap ${configMap}`;
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  const labelled = Object.hasOwn(labels, SIGNATURE_CONFIGMAP_LABEL);
  let found = 0;

  if (isObject(doc.data)) {
    for (const key of Object.keys(doc.data)) {
      if (key.startsWith('sha256-')) {
        notes.push(`${label}: data entry ${JSON.stringify(key)} ignored: the cluster-version operator reads signatures from binaryData only`);
      }
    }
  }
  if (isObject(doc.binaryData)) {
    for (const [key, value] of Object.entries(doc.binaryData)) {
      const m = SIGNATURE_KEY.exec(key);
      if (!m) {
        notes.push(`${label}: binaryData key ${JSON.stringify(key.slice(0, 100))} ignored: it does not start with sha256-<64 lowercase hex>`);
        continue;
      }
      found++;
      const signature: ConfigMapSignature = { digest: toDigest(`sha256:${m[1]}`), key, configMap, labelled, file, source: `${label} key ${key}` };
      if (namespace !== undefined) signature.namespace = namespace;
      if (value instanceof Uint8Array) signature.bytes = value;
      else if (typeof value === 'string') {
        const bytes = decodeBase64Strict(value);
        if (bytes) signature.bytes = bytes;
        else signature.problem = 'the binaryData value is not valid base64';
      } else signature.problem = 'the binaryData value is not a base64 string';
      signatures.push(signature);
    }
  }
  if (found === 0) {
    notes.push(`${label}: holds no signatures (no binaryData key starting with sha256-<hex>)`);
    return;
  }
  if (!labelled) {
    notes.push(`${label}: lacks the label ${SIGNATURE_CONFIGMAP_LABEL}; the cluster-version operator only reads labelled ConfigMaps`);
  }
  if (namespace !== SIGNATURE_CONFIGMAP_NAMESPACE) {
    notes.push(`${label}: ${namespace ? `is in namespace ${namespace}` : 'has no namespace'}; the cluster-version operator only reads ConfigMaps in ${SIGNATURE_CONFIGMAP_NAMESPACE}`);
  }
}

export type OperatorReads = { reads: true; warning?: string } | { reads: false; reason: string };

/**
 * Whether the cluster-version operator ever reads this signature: library-go store/configmap lists
 * ConfigMaps in openshift-config-managed with the release.openshift.io/verification-signatures label
 * (any value). A file that names no namespace is read once applied with `-n openshift-config-managed`,
 * which `oc apply -f` of such a file needs anyway: a warning, not a refusal. The one rule for every
 * command that judges ConfigMaps. Pure.
 */
export function operatorReadsConfigMap(signature: Pick<ConfigMapSignature, 'configMap' | 'file' | 'namespace' | 'labelled'>): OperatorReads {
  if (!signature.labelled) {
    return { reads: false, reason: `ConfigMap ${signature.configMap} in ${signature.file} lacks the label ${SIGNATURE_CONFIGMAP_LABEL}, and the cluster-version operator lists ConfigMaps by that label, so it never reads this one` };
  }
  if (signature.namespace !== undefined && signature.namespace !== SIGNATURE_CONFIGMAP_NAMESPACE) {
    return { reads: false, reason: `ConfigMap ${signature.configMap} in ${signature.file} is in namespace ${signature.namespace}; the cluster-version operator reads ${SIGNATURE_CONFIGMAP_NAMESPACE} only, so it never reads this one` };
  }
  if (signature.namespace === undefined) return { reads: true, warning: `ConfigMap ${signature.configMap} in ${signature.file} names no namespace: apply it with -n ${SIGNATURE_CONFIGMAP_NAMESPACE}` };
  return { reads: true };
}

/**
 * Reads the signatures of every ConfigMap in a YAML or JSON text (one or many documents, `kind: List`
 * too). No I/O. A duplicate key is a note and the last value counts, as Kubernetes reads it (the
 * release-verification ConfigMap OpenShift ships has one). Throws SigcheckError('CONFIG') when the
 * text is not valid YAML/JSON.
 */
export function parseSignatureConfigMaps(text: string, file: string): { signatures: ConfigMapSignature[]; notes: string[] } {
  const signatures: ConfigMapSignature[] = [];
  const notes: string[] = [];
  // A mirror's files are network input: their cost is bounded before anything is parsed (src/yaml).
  const over = yamlOverBudget(text, MAX_CONFIGMAP_YAML_VALUES);
  if (over) {
    // Of two reasons, the one a user can act on: too many documents, or a document too large.
    const documents = (text.match(/^---/gm) ?? []).length + 1;
    if (documents > MAX_CONFIGMAP_DOCUMENTS) throw new SigcheckError('USAGE', `${file}: more than ${MAX_CONFIGMAP_DOCUMENTS} YAML/JSON documents; a signature ConfigMap file holds a few. Pass the signature ConfigMaps only.`);
    throw new SigcheckError('USAGE', `${file}: not read: ${over}. Pass the signature ConfigMaps only.`);
  }
  // The documents are composed one at a time, and at most MAX_CONFIGMAP_DOCUMENTS of them: a file of
  // a hundred thousand tiny documents is refused, naming the file, before it costs anything.
  const lines = new LineCounter();
  const documents: Document.Parsed[] = [];
  for (const document of new Composer({ uniqueKeys: true }).compose(new Parser(lines.addNewLine).parse(text))) {
    if (documents.length >= MAX_CONFIGMAP_DOCUMENTS) {
      throw new SigcheckError('USAGE', `${file}: more than ${MAX_CONFIGMAP_DOCUMENTS} YAML/JSON documents; a signature ConfigMap file holds a few. Pass the signature ConfigMaps only.`);
    }
    documents.push(document);
  }
  documents.forEach((document, index) => {
    const where = documents.length > 1 ? `${file} document ${index + 1}` : file;
    for (const error of document.errors) {
      const at = error.pos?.[0] !== undefined ? lines.linePos(error.pos[0]) : undefined;
      const line = at?.line;
      const message = `${error.message.split('\n')[0]!.replace(/:$/, '')}${at ? ` at line ${at.line}, column ${at.col}` : ''}`;
      if (error.code === 'DUPLICATE_KEY') {
        notes.push(`${file}${line ? `:${line}` : ''}: duplicate key (${message}); the last value counts, as Kubernetes reads it`);
        continue;
      }
      throw new SigcheckError('CONFIG', `${file}${line ? `:${line}` : ''}: not valid YAML or JSON (${message}). Pass signature ConfigMaps as written by oc adm release mirror, oc-mirror or the cluster-version operator.`);
    }
    visitConfigMaps(document.toJS({ maxAliasCount: 100 }), where, (doc, at) => readConfigMap(doc, at, file, signatures, notes), notes);
  });
  return { signatures, notes };
}

async function listConfigMapFiles(dir: string, out: string[], depth = 0): Promise<void> {
  if (depth > 16) return;
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await listConfigMapFiles(path, out, depth + 1);
    else if ((entry.isFile() || entry.isSymbolicLink()) && CONFIGMAP_EXTENSIONS.includes(extname(entry.name).toLowerCase())) out.push(path);
  }
}

/** A regular file within the cap (a FIFO, a device, an oversized file are refused, naming the file). */
async function readTextFile(file: string): Promise<string> {
  const bytes = await readRegularFile(file, { maxBytes: MAX_CONFIGMAP_FILE_BYTES, what: 'ConfigMap file', hint: 'Pass signature ConfigMap files (YAML or JSON) or the directories that hold them.' });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Reads signature ConfigMaps from files and directories (walked for *.yaml, *.yml, *.json). A file
 * named explicitly must parse; a file found in a directory that does not parse becomes a note.
 */
export async function readSignatureConfigMaps(paths: readonly string[]): Promise<ConfigMapReadResult> {
  const result: ConfigMapReadResult = { signatures: [], notes: [], files: [] };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      throw new SigcheckError('CONFIG', `${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Pass ConfigMap files or directories that hold them.`);
    }
    if (info.isDirectory()) {
      const files: string[] = [];
      await listConfigMapFiles(path, files);
      if (files.length === 0) throw new SigcheckError('CONFIG', `${path}: no *.yaml, *.yml or *.json files in this directory. Pass signature ConfigMap files or the directory oc adm release mirror --to-dir wrote.`);
      for (const file of files) {
        try {
          addFile(result, file, parseSignatureConfigMaps(await readTextFile(file), file));
        } catch (err) {
          if (!(err instanceof SigcheckError)) throw err;
          result.notes.push(`${err.message.split('. ')[0]}; skipped`);
        }
      }
    } else {
      addFile(result, path, parseSignatureConfigMaps(await readTextFile(path), path));
    }
  }
  return result;
}

function addFile(result: ConfigMapReadResult, file: string, parsed: { signatures: ConfigMapSignature[]; notes: string[] }): void {
  result.files.push(file);
  // One at a time: a spread of hundreds of thousands of elements would overflow the stack.
  for (const s of parsed.signatures) result.signatures.push(s);
  for (const n of parsed.notes) result.notes.push(n);
}

export interface SignatureConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  binaryData: Record<string, string>;
}

/**
 * The ConfigMap the cluster-version operator reads for `digest`, as `oc adm release mirror` writes
 * it: name `sha256-<hex>`, namespace openshift-config-managed, the verification-signatures label,
 * binaryData keys `sha256-<hex>-1`, `-2`, ... in the order given. Pure.
 */
export function toSignatureConfigMap(digest: Digest, signatures: readonly Uint8Array[]): SignatureConfigMap {
  const prefix = toConfigMapKeyPrefix(toDigest(digest, 'ConfigMap digest'));
  const binaryData: Record<string, string> = {};
  signatures.forEach((bytes, i) => {
    binaryData[`${prefix}-${i + 1}`] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  });
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: prefix, namespace: SIGNATURE_CONFIGMAP_NAMESPACE, labels: { [SIGNATURE_CONFIGMAP_LABEL]: '' } },
    binaryData,
  };
}

/** The ConfigMap as YAML (what `oc apply -f` takes) or JSON. */
export function formatSignatureConfigMap(configMap: SignatureConfigMap, format: 'yaml' | 'json' = 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(configMap, null, 2)}\n` : stringify(configMap, { lineWidth: 0 });
}
