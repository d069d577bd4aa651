/**
 * The pipeline with the payload seam: the release metadata confirms each node (a mismatch fails it
 * and is a finding on its line), the components check joins the node's status, --components-from
 * exempts older releases, one payload is read per digest, and the verified-result cache keeps what a
 * payload said and a verified components verdict across runs (its new sections, the old entries
 * untouched).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.ts';
import { VerifiedCache } from '../../src/check/cache.ts';
import { withPayloadCache } from '../../src/check/payload-cache.ts';
import type { GraphNode } from '../../src/graph/nodes.ts';
import { parseReleaseName } from '../../src/model/version.ts';
import type { PayloadCheck, PayloadChecker, ResolvedImage } from '../../src/model/checkers.ts';
import type { ComponentsResult, Finding, NodeResult } from '../../src/model/results.ts';
import type { Reporter } from '../../src/model/reporter.ts';
import type { Digest } from '../../src/model/digest.ts';
import { FakeChecker, FakeResolver, fakeDigest } from '../helpers/fakes.ts';

function node(name: string, line = 1): GraphNode {
  const p = parseReleaseName(name);
  if (!p.ok) throw new Error(p.reason);
  return { name, release: p.release, places: [{ file: 'channels/c.yaml', line, channel: 'c' }] };
}

class Recorder implements Reporter {
  nodes: NodeResult[] = [];
  findings: Finding[] = [];
  node(r: NodeResult) {
    this.nodes.push(r);
  }
  finding(f: Finding) {
    this.findings.push(f);
  }
  end() {}
}

const OK: ComponentsResult = { outcome: 'verified', reason: 'all 2 component images signed', total: 2, verified: 2, failures: [] };

/** Payloads by digest: what release-metadata says, and the components verdict. */
class FakePayloads implements PayloadChecker {
  readonly calls: string[] = [];
  readonly says = new Map<Digest, string>();
  readonly components = new Map<Digest, ComponentsResult>();
  async check(image: ResolvedImage, options: { components: boolean }): Promise<PayloadCheck> {
    this.calls.push(`${image.digest}:${options.components}`);
    const version = this.says.get(image.digest) ?? '0.0.0';
    const read = {
      kind: 'read' as const,
      contents: { digest: image.digest, manifest: image.digest, configArch: 'amd64', layer: { index: 1, digest: image.digest }, metadata: { kind: 'cincinnati-metadata-v0', version, previous: [], next: [], metadata: {} }, imagePolicies: [] },
    };
    return options.components ? { read, components: this.components.get(image.digest) ?? OK } : { read };
  }
}

const info = { mode: 'audit' as const, pathPrefix: '', releaseRepo: 'quay.io/openshift-release-dev/ocp-release' };
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the pipeline with payloads', () => {
  it('confirms nodes by their release metadata, fails a mismatch with a finding on its line, and counts components', async () => {
    const payloads = new FakePayloads();
    for (const v of ['4.99.0', '4.99.2']) payloads.says.set(fakeDigest(`${v}/amd64`), v);
    payloads.says.set(fakeDigest('4.99.1/amd64'), '4.99.0'); // the tag holds 4.99.0's payload
    payloads.components.set(fakeDigest('4.99.2/amd64'), { outcome: 'missing', reason: '1 of 2 not accepted', total: 2, verified: 1, failures: [{ name: 'machine-config-operator', reference: 'quay.io/x@sha256:1', outcome: 'missing', reason: 'no .sig' }] });
    const rec = new Recorder();
    const summary = await runCheck(
      { nodes: [node('4.99.0', 3), node('4.99.1', 4), node('4.99.2', 5)], findings: [], arches: ['amd64'], info },
      { resolver: new FakeResolver(), checker: new FakeChecker(), payload: payloads },
      { concurrency: 4, require: ['openpgp', 'sigstore', 'components'] },
      rec,
    );
    expect(rec.nodes.map((n) => [n.version, n.metadata.outcome, n.components.outcome])).toEqual([
      ['4.99.0', 'verified', 'verified'],
      ['4.99.1', 'invalid', 'verified'],
      ['4.99.2', 'verified', 'missing'],
    ]);
    expect(rec.findings).toEqual([expect.objectContaining({ code: 'RELEASE_METADATA_MISMATCH', severity: 'error', file: 'channels/c.yaml', line: 4, message: expect.stringMatching(/^tag 4\.99\.1-x86_64 .* names version "4\.99\.0", not 4\.99\.1/) })]);
    expect(summary.counts).toMatchObject({ nodes: 3, passed: 1, failed: 2, components: { verified: 2, missing: 1 }, metadata: { verified: 2, invalid: 1 } });
  });

  it('exempts versions before --components-from, still reading their payload for the metadata', async () => {
    const payloads = new FakePayloads();
    payloads.says.set(fakeDigest('4.21.9/amd64'), '4.21.9');
    payloads.says.set(fakeDigest('4.22.0/amd64'), '4.22.0');
    const rec = new Recorder();
    await runCheck(
      { nodes: [node('4.21.9'), node('4.22.0')], findings: [], arches: ['amd64'], info },
      { resolver: new FakeResolver(), checker: new FakeChecker(), payload: payloads },
      { concurrency: 2, require: ['openpgp', 'sigstore', 'components'], componentsFrom: '4.22.0' },
      rec,
    );
    expect(rec.nodes.map((n) => [n.version, n.components.outcome, n.metadata.outcome])).toEqual([
      ['4.21.9', 'skipped', 'verified'],
      ['4.22.0', 'verified', 'verified'],
    ]);
    expect(rec.nodes[0]!.components.reason).toMatch(/--components-from/);
    expect([...payloads.calls].sort()).toEqual([`${fakeDigest('4.21.9/amd64')}:false`, `${fakeDigest('4.22.0/amd64')}:true`].sort());
  });

  it('without a payload reader, a required components check is error, never passed', async () => {
    const rec = new Recorder();
    const summary = await runCheck({ nodes: [node('4.99.0')], findings: [], arches: ['amd64'], info }, { resolver: new FakeResolver(), checker: new FakeChecker() }, { concurrency: 1, require: ['openpgp', 'sigstore', 'components'] }, rec);
    expect(rec.nodes[0]!.components.outcome).toBe('error');
    expect(summary.exitCode).toBe(3);
  });

  it('caches what a payload said and a verified components verdict, in sections of their own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-payload-cache-'));
    dirs.push(dir);
    const path = join(dir, 'cache.json');
    const trust = { openpgp: 'o', sigstore: 's', components: 'c' };
    const inner = new FakePayloads();
    const digest = fakeDigest('4.99.0/amd64');
    inner.says.set(digest, '4.99.0');
    const first = await VerifiedCache.load(path, trust);
    await withPayloadCache(inner, first).check({ digest }, { components: true });
    first.putComponent('scope', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', fakeDigest('c1'), { reason: 'verified', signer: 'key 3' });
    first.put('openpgp', digest, { outcome: 'verified', reason: 'ok' });
    await first.save();
    const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['components', 'contents', 'entries', 'payloads', 'schemaVersion']);
    expect(Object.keys(doc.entries as object).sort()).toEqual([`components:c:${digest}`, `openpgp:o:${digest}`]);

    const second = await VerifiedCache.load(path, trust);
    const again = await withPayloadCache(inner, second).check({ digest }, { components: true });
    expect(inner.calls).toHaveLength(1);
    expect(again.read).toMatchObject({ kind: 'read', cached: true, contents: { metadata: { version: '4.99.0' } } });
    expect(again.components).toMatchObject({ outcome: 'verified', cached: true, total: 2 });
    expect(second.getComponent('scope', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', fakeDigest('c1'))).toMatchObject({ reason: 'verified', signer: 'key 3' });
    // Other components trust: the components verdict and the component entries are not reused; the payload summary is.
    const third = await VerifiedCache.load(path, { ...trust, components: 'other' });
    expect(third.get('components', digest)).toBeUndefined();
    expect(third.getComponent('scope', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', fakeDigest('c1'))).toBeUndefined();
    expect(third.getPayload(digest)?.summary.metadata.version).toBe('4.99.0');
  });
});
