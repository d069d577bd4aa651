/**
 * The verified-result cache of the periodic audit. Only `verified` results are kept (a failure is
 * always re-checked), keyed by the check, the digest and a scope: a hash of everything else the
 * verdict depends on, namely the trusted key material and identity rules, the sources read (the
 * repository or mirror the `.sig` came from, the set of OpenPGP stores) and the version of the
 * verdict rules. A new or revoked key, another mirror, another store or changed rules therefore
 * never reuse an entry. Tags are never cached: the pipeline always re-resolves them, and only the
 * digest's verdict is reused. The path comes from the workflow only (SECURITY.md).
 */
import { rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SigcheckError, isSigcheckError } from '../model/errors.ts';
import { readRegularFile } from '../fs/regular-file.ts';
import { isDigest, type Digest } from '../model/digest.ts';
import type { CacheStats, CheckName, CheckResult } from '../model/results.ts';
import type { ResolvedImage, SignatureChecker } from '../model/checkers.ts';
import { confirmEvidence, isEvidence, type Evidence, type EvidenceRecorder, type RevalidationSources } from './revalidate.ts';
import type { ReleaseMetadata } from '../model/payload.ts';

const SCHEMA_VERSION = 1;

/**
 * Bumped whenever a rule that decides a verdict changes, so results verified under the old rules are
 * checked again under the new ones.
 */
export const VERDICT_RULES_VERSION = 3;

/** A full audit's cache is a few MB; a cap far above that refuses a runaway file. */
export const CACHE_FILE_MAX_BYTES = 256 * 1024 * 1024;

/** Per check, a hash of what its verdict depends on besides the digest (trust, sources, rules). */
export type TrustFingerprints = Record<CheckName, string>;

interface CacheEntry {
  result: CheckResult;
  verifiedAt: string;
  /** The bytes the verdict is about; revalidation confirms they are still served (revalidate.ts). */
  evidence?: Evidence[];
}

/**
 * `revalidate` (default): a cached verdict counts only once its evidence is confirmed, one request
 * per signature; `trust`: a cached verdict counts as it is, with no request (a deleted or replaced
 * signature then goes unnoticed; the report says the cache was trusted).
 */
export type CacheMode = CacheStats['mode'];
export const CACHE_MODES: readonly CacheMode[] = ['revalidate', 'trust'];

export type { CacheStats } from '../model/results.ts';

interface CacheFile {
  schemaVersion: number;
  entries: Record<string, CacheEntry>;
  /** What was read from each payload, by payload digest (its contents never change; no trust involved). */
  payloads?: Record<string, PayloadSummary>;
  /** Texts those summaries point at (the keys ConfigMap, the policies), by sha256, stored once. */
  contents?: Record<string, string>;
  /** Verified component images, by `<trust scope hash>:<repository>@<digest>`. */
  components?: Record<string, ComponentEntry>;
}

/**
 * What the cache keeps of a payload: what the metadata check and the update-edge check need, not the
 * component list (a node whose components verdict is not cached reads its payload again).
 */
export interface PayloadSummary {
  manifest: Digest;
  configArch: string;
  layer: { index: number; digest: Digest };
  metadata: ReleaseMetadata;
  /** Paths and sha256 of the texts in `contents`. */
  updateKeys?: { path: string; sha256: string };
  imagePolicies: { path: string; sha256: string }[];
}

/** A verified component: its signer and when it was verified. */
export interface ComponentEntry {
  reason: string;
  signer?: string;
  verifiedAt: string;
}

export class VerifiedCache {
  readonly path: string;
  readonly trust: TrustFingerprints;
  private readonly entries: Map<string, CacheEntry>;
  private readonly payloads = new Map<string, PayloadSummary>();
  private readonly contents = new Map<string, string>();
  private readonly components = new Map<string, ComponentEntry>();
  readonly stats = { hits: 0, misses: 0, stored: 0, loaded: 0, dropped: 0, confirmed: 0, changed: 0, unconfirmed: 0, requests: 0 };
  readonly payloadStats = { hits: 0, stored: 0, componentHits: 0, componentsStored: 0 };

  private constructor(path: string, trust: TrustFingerprints, entries: Map<string, CacheEntry>) {
    this.path = path;
    this.trust = trust;
    this.entries = entries;
  }

  /** Loads the cache; a missing file is an empty cache, a corrupt one is a configuration error. */
  static async load(path: string, trust: TrustFingerprints): Promise<VerifiedCache> {
    let text: string | undefined;
    try {
      text = (await readRegularFile(path, { what: 'cache', maxBytes: CACHE_FILE_MAX_BYTES })).toString('utf8');
    } catch (err) {
      const absent = isSigcheckError(err, 'FILE_UNREADABLE') && (err.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
      if (!absent) throw err;
    }
    const entries = new Map<string, CacheEntry>();
    const cache = new VerifiedCache(path, trust, entries);
    if (text === undefined) return cache;
    let doc: CacheFile;
    try {
      doc = JSON.parse(text) as CacheFile;
    } catch {
      throw new SigcheckError('CONFIG', `cache ${path} is not valid JSON; delete it to start a new cache`);
    }
    if (doc.schemaVersion !== SCHEMA_VERSION || typeof doc.entries !== 'object' || doc.entries === null) {
      throw new SigcheckError('CONFIG', `cache ${path} has an unknown format; delete it to start a new cache`);
    }
    const prefixes = (Object.keys(trust) as CheckName[]).map((c) => `${c}:${trust[c]}:`);
    for (const [key, entry] of Object.entries(doc.entries)) {
      // Entries made under other trusted keys can never match again: drop them.
      const digest = key.slice(-'sha256:'.length - 64);
      const result = entry?.result as Partial<CheckResult> | undefined;
      if (!prefixes.some((p) => key.startsWith(p)) || !isDigest(digest) || result?.outcome !== 'verified' || typeof result.reason !== 'string') {
        cache.stats.dropped++;
        continue;
      }
      if (entry.evidence !== undefined && !(Array.isArray(entry.evidence) && entry.evidence.every(isEvidence))) {
        cache.stats.dropped++;
        continue;
      }
      entries.set(key, entry);
      cache.stats.loaded++;
    }
    cache.loadPayloadSections(doc);
    return cache;
  }

  /** The payload sections (absent in caches written before payloads were read); malformed entries are dropped. */
  private loadPayloadSections(doc: CacheFile): void {
    const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isRecord(doc.contents)) {
      for (const [hash, text] of Object.entries(doc.contents)) if (/^[0-9a-f]{64}$/.test(hash) && typeof text === 'string') this.contents.set(hash, text);
    }
    if (isRecord(doc.payloads)) {
      for (const [digest, p] of Object.entries(doc.payloads)) {
        const ok = isDigest(digest) && isRecord(p) && isDigest(p.manifest) && typeof p.configArch === 'string' && isRecord(p.metadata) && typeof p.metadata.version === 'string' && Array.isArray(p.imagePolicies);
        const texts = ok ? [...(p.updateKeys ? [p.updateKeys] : []), ...p.imagePolicies].every((t) => isRecord(t) && typeof t.sha256 === 'string' && this.contents.has(t.sha256)) : false;
        if (ok && texts) this.payloads.set(digest, p);
        else this.stats.dropped++;
      }
    }
    if (isRecord(doc.components)) {
      const prefix = `${this.trust.components}:`;
      for (const [key, c] of Object.entries(doc.components)) {
        if (key.startsWith(prefix) && isRecord(c) && typeof c.reason === 'string' && typeof c.verifiedAt === 'string') this.components.set(key, c as unknown as ComponentEntry);
        else this.stats.dropped++;
      }
    }
  }

  /** What an earlier run read from the payload with this digest. */
  getPayload(digest: Digest): { summary: PayloadSummary; text(sha256: string): string | undefined } | undefined {
    const summary = this.payloads.get(digest);
    if (!summary) return undefined;
    this.payloadStats.hits++;
    return { summary, text: (hash) => this.contents.get(hash) };
  }

  putPayload(digest: Digest, summary: PayloadSummary, texts: readonly { sha256: string; text: string }[]): void {
    for (const t of texts) this.contents.set(t.sha256, t.text);
    this.payloads.set(digest, summary);
    this.payloadStats.stored++;
  }

  /** A verified component image, under `scope` (a hash of the trust and source its verdict was made with). */
  getComponent(scope: string, repository: string, digest: Digest): ComponentEntry | undefined {
    const entry = this.components.get(`${this.trust.components}:${scope}:${repository}@${digest}`);
    if (entry) this.payloadStats.componentHits++;
    return entry;
  }

  putComponent(scope: string, repository: string, digest: Digest, entry: Omit<ComponentEntry, 'verifiedAt'>): void {
    this.components.set(`${this.trust.components}:${scope}:${repository}@${digest}`, { ...entry, verifiedAt: new Date().toISOString() });
    this.payloadStats.componentsStored++;
  }

  /** A cache that starts empty whatever the file holds (its file is not trusted); it is still saved. */
  static empty(path: string, trust: TrustFingerprints): VerifiedCache {
    return new VerifiedCache(path, trust, new Map());
  }

  private key(check: CheckName, digest: Digest): string {
    return `${check}:${this.trust[check]}:${digest}`;
  }

  /** The cached entry of a digest, if any (its result marked `cached`). */
  get(check: CheckName, digest: Digest): { result: CheckResult; evidence?: Evidence[] } | undefined {
    const entry = this.entries.get(this.key(check, digest));
    if (entry) {
      this.stats.hits++;
      return { result: { ...entry.result, cached: true }, ...(entry.evidence ? { evidence: entry.evidence } : {}) };
    }
    this.stats.misses++;
    return undefined;
  }

  put(check: CheckName, digest: Digest, result: CheckResult, evidence?: Evidence[]): void {
    if (result.outcome !== 'verified') {
      // A verdict that no longer holds must not be offered again.
      this.entries.delete(this.key(check, digest));
      return;
    }
    const { cached: _cached, revalidated: _revalidated, ...stored } = result;
    this.entries.set(this.key(check, digest), { result: stored, verifiedAt: new Date().toISOString(), ...(evidence ? { evidence } : {}) });
    this.stats.stored++;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Writes atomically (temporary file, then rename) so an interrupted run never leaves a corrupt cache. */
  async save(): Promise<void> {
    const sorted = <T>(m: Map<string, T>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
    const doc: CacheFile = { schemaVersion: SCHEMA_VERSION, entries: sorted(this.entries) };
    if (this.payloads.size > 0) {
      // Only the texts some payload still points at.
      const used = new Set([...this.payloads.values()].flatMap((p) => [...(p.updateKeys ? [p.updateKeys.sha256] : []), ...p.imagePolicies.map((i) => i.sha256)]));
      doc.payloads = sorted(this.payloads);
      doc.contents = sorted(new Map([...this.contents].filter(([h]) => used.has(h))));
    }
    if (this.components.size > 0) doc.components = sorted(this.components);
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(doc)}\n`);
    await rename(tmp, this.path);
  }
}

export interface CacheOptions {
  mode: CacheMode;
  /** Records the bytes behind new verdicts; its wrapped sources must be the ones `checker` reads. */
  recorder?: EvidenceRecorder;
  /** Where evidence is confirmed (revalidate mode). */
  sources?: RevalidationSources;
}

export function cacheStats(cache: VerifiedCache, mode: CacheMode): CacheStats {
  const s = cache.stats;
  return { mode, hits: s.hits, confirmed: s.confirmed, changed: s.changed, unconfirmed: s.unconfirmed, requests: s.requests, stored: s.stored };
}

/**
 * Wraps a checker so cached verified results are reused (confirmed first, in revalidate mode) and
 * new ones recorded with their evidence.
 */
export function withCache(checker: SignatureChecker, cache: VerifiedCache, options: CacheOptions = { mode: 'trust' }): SignatureChecker {
  const reuse = async (hit: { result: CheckResult; evidence?: Evidence[] } | undefined): Promise<CheckResult | undefined> => {
    if (!hit) return undefined;
    if (options.mode === 'trust') return hit.result;
    // An entry without evidence (an older cache) cannot be confirmed: check it again in full.
    if (!hit.evidence || hit.evidence.length === 0 || !options.sources) return undefined;
    const { verdict, requests } = await confirmEvidence(hit.evidence, options.sources);
    cache.stats.requests += requests;
    if (verdict === 'same') {
      cache.stats.confirmed++;
      return { ...hit.result, revalidated: true };
    }
    if (verdict === 'changed') cache.stats.changed++;
    else cache.stats.unconfirmed++;
    return undefined;
  };
  return {
    async openpgp(digest: Digest) {
      const hit = await reuse(cache.get('openpgp', digest));
      if (hit) return hit;
      const result = await checker.openpgp(digest);
      cache.put('openpgp', digest, result, options.recorder?.openpgp(result));
      return result;
    },
    async sigstore(image: ResolvedImage) {
      const hit = await reuse(cache.get('sigstore', image.digest));
      if (hit) return hit;
      const result = await checker.sigstore(image);
      cache.put('sigstore', image.digest, result, options.recorder?.sigstore(image, result));
      return result;
    },
  };
}
