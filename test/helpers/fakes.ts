/**
 * In-memory stand-ins for the network seams, for tests of the core that need no network.
 * A release table maps `version/arch` to a digest (or absent/error); signature tables map digests
 * to check results.
 */
import { createHash } from 'node:crypto';
import type { ArchResolution, ReleaseResolver, ResolvedImage, SignatureChecker } from '../../src/model/checkers.ts';
import type { Digest } from '../../src/model/digest.ts';
import type { Arch } from '../../src/model/arch.ts';
import { toTagSuffix } from '../../src/model/arch.ts';
import type { CheckResult, ComponentsResult, MetadataResult } from '../../src/model/results.ts';

/** A node's payload results when everything passed, for tests of reporters that build nodes by hand. */
export const PAYLOAD_OK: { components: ComponentsResult; metadata: MetadataResult } = {
  components: { outcome: 'verified', reason: 'all 3 component images in the policy\'s scopes have an accepted Sigstore signature', total: 3, verified: 3, failures: [] },
  metadata: { outcome: 'verified', reason: 'release-metadata confirms it', version: '4.18.1', arch: 'amd64' },
};

export function fakeDigest(seed: string): Digest {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}

export type FakeRelease = { digest: Digest; instances?: Digest[] } | 'absent' | { error: string };

export class FakeResolver implements ReleaseResolver {
  readonly calls: string[] = [];
  readonly table: Map<string, FakeRelease>;
  /** Releases not in the table: every architecture resolves to a digest derived from the name. */
  readonly defaultPresent: boolean;

  constructor(table: Record<string, FakeRelease> = {}, options: { defaultPresent?: boolean } = {}) {
    this.table = new Map(Object.entries(table));
    this.defaultPresent = options.defaultPresent ?? true;
  }

  async resolve(version: string, arch: Arch): Promise<ArchResolution> {
    this.calls.push(`${version}/${arch}`);
    const tag = `${version}-${toTagSuffix(arch)}`;
    const entry = this.table.get(`${version}/${arch}`) ?? (this.defaultPresent ? { digest: fakeDigest(`${version}/${arch}`) } : 'absent');
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    if (entry === 'absent') return { kind: 'absent', tag };
    if ('error' in entry) return { kind: 'error', tag, reason: entry.error };
    return entry.instances
      ? { kind: 'found', digest: entry.digest, tag, instances: entry.instances.map((d, i) => ({ digest: d, arch: ['amd64', 'arm64', 's390x', 'ppc64le'][i] ?? 'amd64' })) }
      : { kind: 'found', digest: entry.digest, tag };
  }
}

export class FakeChecker implements SignatureChecker {
  readonly openpgpCalls: Digest[] = [];
  readonly sigstoreCalls: Digest[] = [];
  readonly openpgpTable: Map<string, CheckResult>;
  readonly sigstoreTable: Map<string, CheckResult>;

  constructor(openpgp: Record<string, CheckResult> = {}, sigstore: Record<string, CheckResult> = {}) {
    this.openpgpTable = new Map(Object.entries(openpgp));
    this.sigstoreTable = new Map(Object.entries(sigstore));
  }

  async openpgp(digest: Digest): Promise<CheckResult> {
    this.openpgpCalls.push(digest);
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    return this.openpgpTable.get(digest) ?? { outcome: 'verified', reason: 'signed by Red Hat release key 2', signer: 'fake', source: `fake://${digest}` };
  }

  async sigstore(image: ResolvedImage): Promise<CheckResult> {
    this.sigstoreCalls.push(image.digest);
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    return this.sigstoreTable.get(image.digest) ?? { outcome: 'verified', reason: 'signed by Red Hat release key 3', signer: 'fake' };
  }
}

/** Collects writes to a fake stream. */
export class Capture {
  chunks: string[] = [];
  isTTY = false;
  write(chunk: string | Uint8Array, cb?: () => void): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    cb?.();
    return true;
  }
  once(): this {
    return this;
  }
  on(): this {
    return this;
  }
  end(cb?: () => void): void {
    cb?.();
  }
  get text(): string {
    return this.chunks.join('');
  }
}
