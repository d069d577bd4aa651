/**
 * The gate stays shut for the pull request it gates (SECURITY.md). Each attack of the trust-boundary
 * issue, tried the way an attacker would: a pull request that promotes an unsigned release (4.50.1,
 * signed by nobody the workflow trusts) and changes whatever else its head controls. Every run goes
 * through the bundle, `dist/cli.js` with `--base/--head` and `dist/index.js` with the environment
 * GitHub sets for a pull_request event, against real servers on loopback. In every case the unsigned
 * release is checked and the run fails.
 *
 * The base side holds the workflow's trust the way graph-data would: `release-sigcheck.yaml` naming the
 * release repository, the store and two key files committed under keys/.
 *
 * SIGCHECK_DIST_UNDER_TEST=DIR runs the same suite against another build (e.g. an older commit's
 * dist/), to show which attacks it lets through.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.ts';
import { buildSigArtifact, generateRsaKey, pushSig, signLayer, type TestKey } from '../harness/cosign.ts';
import { simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';
import { buildImage, HttpPusher } from '../harness/images.ts';
import { makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startServer, startStore, type SignatureStore } from '../harness/store.ts';
import { startTokenIssuer } from '../harness/token-issuer.ts';
import { commitTree, git, initRepo } from '../helpers/git.ts';
import { PROJECT_ROOT } from '../helpers/paths.ts';
import { REPO, startWorld, type World } from './world.ts';

const DIST = process.env.SIGCHECK_DIST_UNDER_TEST ?? join(PROJECT_ROOT, 'dist');

let world: World;
let tmp: string;
let probe: string;
/** A registry and a store of the attacker's, holding 4.50.1 signed with the attacker's keys. */
let evilRegistry: RegistryHarness;
let evilStore: SignatureStore;
let attackerGpg: GpgKey;
let attackerCosign: TestKey;
let unsigned: string;

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident set of the tool's process, in bytes. */
  maxRss: number;
}

let runs = 0;
/** Runs a bundle entry point as its own process, the way npx or the Actions runner would. */
function runDist(entry: 'cli.js' | 'index.js', args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  const rssFile = join(tmp, `rss-${++runs}`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', probe, join(DIST, entry), ...args],
      {
        cwd: options.cwd,
        // The CLI restarts itself with a smaller young generation; measure the process that works.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp, RELEASE_SIGCHECK_CHILD: '1', RSS_OUT: rssFile, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        readFile(rssFile, 'utf8')
          .then((t) => Number(t) * 1024)
          .catch(() => -1)
          .then((maxRss) => resolve({ code, stdout, stderr, maxRss }), reject);
      },
    );
  });
}

let repo: string;
let baseCommit: string;
const BASE_CHANNEL = 'name: candidate-4.50\nversions:\n- 4.50.0\n';

function baseConfig(): string {
  return [
    `release-repo: ${world.releaseRepo}`,
    `signature-store: [${world.store.base}]`,
    'openpgp-key: [keys/openpgp.asc]',
    'sigstore-key: [keys/sigstore.pub]',
    'arch: [amd64]',
    'retries: 1',
    'timeout: 10s',
    '',
  ].join('\n');
}

/** A head commit on its own branch from the base: the channel file adds `version`, plus `files`. */
async function attack(name: string, files: Record<string, string>, version = '4.50.1'): Promise<string> {
  git(repo, 'checkout', '-q', '-f', baseCommit);
  git(repo, 'checkout', '-q', '-B', `attack-${name}`);
  return commitTree(repo, `promote ${version}: ${name}`, { 'channels/candidate-4.50.yaml': `${BASE_CHANNEL}- ${version}\n`, ...files });
}

async function runCli(head: string, extra: string[] = []): Promise<RunResult & { report?: JsonReport }> {
  git(repo, 'checkout', '-q', '-f', head); // the work tree is the pull request's, as in CI
  const r = await runDist('cli.js', ['--graph-data', repo, '--base', 'main', '--head', head, '--format', 'json', ...extra], { cwd: repo });
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    report = undefined;
  }
  return { ...r, ...(report ? { report } : {}) };
}

let eventCount = 0;
async function runAction(head: string, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}): Promise<RunResult & { report?: JsonReport; summary: string }> {
  git(repo, 'checkout', '-q', '-f', head);
  const n = ++eventCount;
  const event = join(tmp, `event-${n}.json`);
  const summaryFile = join(tmp, `summary-${n}.md`);
  const outputFile = join(tmp, `output-${n}`);
  const reportFile = join(tmp, `action-report-${n}.json`);
  await writeFile(event, JSON.stringify({ pull_request: { number: n, base: { sha: baseCommit }, head: { sha: head } } }));
  await writeFile(summaryFile, '');
  await writeFile(outputFile, '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_WORKSPACE: repo,
    GITHUB_REPOSITORY: 'openshift/cincinnati-graph-data',
    RUNNER_TEMP: tmp,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    'INPUT_GRAPH-DATA': '.',
    INPUT_MODE: 'auto',
    INPUT_REPORT: reportFile,
    INPUT_COMMENT: 'false',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  Object.assign(env, extraEnv);
  const r = await runDist('index.js', [], { cwd: repo, env });
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(await readFile(reportFile, 'utf8')) as JsonReport;
  } catch {
    report = undefined;
  }
  return { ...r, summary: await readFile(summaryFile, 'utf8'), ...(report ? { report } : {}) };
}

function statusOf(report: JsonReport | undefined, version: string): string | undefined {
  return report?.nodes.find((n) => n.version === version && n.arch === 'amd64')?.status;
}

/** The tool's own workflow commands are the only lines of stdout that start with `::`. */
function foreignCommands(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('::') && !/^::(error|warning|notice|debug|group|endgroup|add-mask)( [^:]*)?::/.test(l));
}

beforeAll(async () => {
  world = await startWorld();
  tmp = await makeTempDir('trust');
  probe = join(tmp, 'rss-probe.mjs');
  await writeFile(probe, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { if (process.env.RSS_OUT) writeFileSync(process.env.RSS_OUT, String(process.resourceUsage().maxRSS)); });\n");
  unsigned = world.digests.get('4.50.1/amd64')!;

  // The attacker signs 4.50.1 with keys of their own, in the release repository and store the
  // workflow trusts (so that swapping the keys would pass it) and in a registry and store of theirs.
  attackerGpg = await world.gpg.generateKey({ algo: 'rsa3072', name: 'Attacker' });
  attackerCosign = generateRsaKey('attacker key');
  const pgp = await world.gpg.sign(new TextEncoder().encode(simpleSigningPayload({ digest: unsigned, reference: `${world.identityRepo}:4.50.1-x86_64` })), { key: attackerGpg.fingerprint });
  const sig = buildSigArtifact([signLayer({ digest: unsigned, identity: `${world.identityRepo}@${unsigned}`, key: attackerCosign })]);
  await world.store.put(unsigned, 1, pgp);
  await pushSig(world.registry.url, REPO, unsigned, sig);
  evilRegistry = await startRegistry();
  evilStore = await startStore();
  const pusher = new HttpPusher(evilRegistry.url, REPO);
  const img = buildImage({ arch: 'amd64', seed: '4.50.1' });
  for (const b of [img.config, ...img.layers]) await pusher.blob(b);
  expect(await pusher.manifest(img.manifest, img.mediaType, '4.50.1-x86_64')).toBe(unsigned);
  await pushSig(evilRegistry.url, REPO, unsigned, sig);
  await evilStore.put(unsigned, 1, pgp);

  repo = join(tmp, 'graph-data');
  await initRepo(repo);
  await mkdir(join(repo, 'keys'), { recursive: true });
  baseCommit = await commitTree(repo, 'base', {
    'channels/candidate-4.50.yaml': BASE_CHANNEL,
    'release-sigcheck.yaml': baseConfig(),
    'keys/openpgp.asc': await readFile(world.openpgpKeyFile, 'utf8'),
    'keys/sigstore.pub': await readFile(world.sigstoreKeyFile, 'utf8'),
  });
}, 240_000);

afterAll(async () => {
  await evilRegistry?.stop();
  await evilStore?.stop();
  await world?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('a pull request cannot pass its own unsigned release', () => {
  it('control: the plain promotion of 4.50.1 fails, in the CLI and in the Action', async () => {
    const head = await attack('plain', {});
    const cli = await runCli(head);
    expect(cli.code).toBe(1);
    expect(statusOf(cli.report, '4.50.1')).toBe('failed');
    const action = await runAction(head);
    expect(action.code).toBe(1);
    expect(statusOf(action.report, '4.50.1')).toBe('failed');
  });

  it('a file named channels/a<newline><base blob id> does not hide the head channel file', async () => {
    const blob = git(repo, 'rev-parse', `${baseCommit}:channels/candidate-4.50.yaml`);
    const head = await attack('newline-name', {});
    // A name with a newline cannot be written through the work tree on every system; plumbing can.
    git(repo, 'checkout', '-q', '-f', head);
    const oid = git(repo, 'hash-object', '-w', '--stdin');
    await new Promise<void>((resolve, reject) => {
      const child = execFile('git', ['update-index', '--add', '-z', '--index-info'], { cwd: repo }, (err) => (err ? reject(err) : resolve()));
      child.stdin!.end(`100644 ${oid}\tchannels/a\n${blob}\0`);
    });
    git(repo, 'commit', '-q', '-m', 'hide it');
    const hidden = git(repo, 'rev-parse', 'HEAD');
    for (const r of [await runCli(hidden), await runAction(hidden)]) {
      expect(r.code).toBe(1);
      expect(statusOf(r.report, '4.50.1')).toBe('failed');
      expect(r.report?.findings.map((f) => f.code)).toContain('CHANNEL_FILE_NAME');
    }
  });

  it.each([
    ['skip', `skip:\n  - { version: 4.50.1, reason: "trust me" }\n`, '4.50.1'],
    ['channel', 'channel: [no-such-channel]\n', '4.50.1'],
    // 4.50.4 has a valid OpenPGP signature but only a bundle, no .sig tag.
    ['sigstore-from', 'sigstore-from: 99.0.0\n', '4.50.4'],
    ['require', 'require: [openpgp]\n', '4.50.4'],
  ])('an added %s in release-sigcheck.yaml is reported and takes effect only once merged', async (name, addition, version) => {
    const head = await attack(`config-${name}`, { 'release-sigcheck.yaml': `${baseConfig()}${addition}` }, version);
    for (const r of [await runCli(head), await runAction(head)]) {
      expect(r.code).toBe(1);
      expect(statusOf(r.report, version)).toBe('failed');
      const changed = r.report?.findings.find((f) => f.code === 'CONFIG_CHANGED_BY_PR');
      expect(changed?.message).toContain(`changes "${name}"`);
      expect(changed?.message).toContain('takes effect once merged');
    }
  });

  it("release-sigcheck.yaml pointing at the attacker's registry, store and keys: the workflow's sources and keys are used", async () => {
    const head = await attack('sources', {
      'release-sigcheck.yaml': [
        `release-repo: ${world.releaseRepo}`,
        `mirror: ${evilRegistry.url}/${REPO}`,
        `signature-store: [${evilStore.base}]`,
        'openpgp-key: [keys/attacker.asc]',
        'sigstore-key: [keys/attacker.pub]',
        'arch: [amd64]',
        'retries: 1',
        '',
      ].join('\n'),
      'keys/attacker.asc': new TextDecoder().decode(await world.gpg.exportPublicKey(attackerGpg.fingerprint, { armor: true })),
      'keys/attacker.pub': attackerCosign.publicPem,
    });
    for (const r of [await runCli(head), await runAction(head)]) {
      expect(r.code).toBe(1);
      expect(statusOf(r.report, '4.50.1')).toBe('failed');
      expect(r.report?.mirror).toBeUndefined();
      const node = r.report?.nodes.find((n) => n.version === '4.50.1');
      expect(node?.openpgp.source).toContain(world.store.base);
      expect(node?.sigstore.outcome).toBe('invalid');
    }
  });

  it('key files replaced in the head are read as they are at the merge-base', async () => {
    const head = await attack('swap-keys', {
      'keys/openpgp.asc': new TextDecoder().decode(await world.gpg.exportPublicKey(attackerGpg.fingerprint, { armor: true })),
      'keys/sigstore.pub': attackerCosign.publicPem,
    });
    for (const r of [await runCli(head), await runAction(head)]) {
      expect(r.code).toBe(1);
      const node = r.report?.nodes.find((n) => n.version === '4.50.1');
      expect([node?.openpgp.outcome, node?.sigstore.outcome]).toEqual(['invalid', 'invalid']);
      expect(r.report?.findings.filter((f) => f.code === 'TRUSTED_FILE_CHANGED_BY_PR')).toHaveLength(2);
    }
  });

  it('a committed cache with verified entries for the unsigned digest is not read', async () => {
    // A genuine cache of the base's 4.50.0, its digest then swapped for the unsigned one's.
    git(repo, 'checkout', '-q', '-f', baseCommit);
    const genuine = join(tmp, 'genuine-cache.json');
    const audit = await runDist('cli.js', ['--graph-data', repo, '--cache', genuine, '--format', 'json'], { cwd: repo });
    expect(audit.code).toBe(0);
    const forged = (await readFile(genuine, 'utf8')).replaceAll(world.digests.get('4.50.0/amd64')!, unsigned);
    expect(forged).toContain(unsigned);
    const head = await attack('cache', { '.sigcheck-cache.json': forged, 'release-sigcheck.yaml': `${baseConfig()}` });
    const before = world.store.requests.length;
    const cli = await runCli(head, ['--cache', '.sigcheck-cache.json']);
    expect(cli.code).toBe(1);
    expect(statusOf(cli.report, '4.50.1')).toBe('failed');
    expect(cli.report?.findings.map((f) => f.code)).toContain('CACHE_IN_PULL_REQUEST');
    const action = await runAction(head, { cache: '.sigcheck-cache.json' });
    expect(action.code).toBe(1);
    expect(statusOf(action.report, '4.50.1')).toBe('failed');
    // Both runs asked the store for the unsigned digest's signature.
    const asked = world.store.requests.slice(before).filter((q) => q.path.includes(unsigned.slice(7)));
    expect(asked.length).toBeGreaterThanOrEqual(2);
  });

  it('hostile names and a huge version string stay in their place, bounded', async () => {
    const huge = `4.50.9-${'x'.repeat(900 * 1024)}`;
    const head = await attack('text', {
      'channels/stable-4.50.yaml': `name: "stable-4.50\\n::warning file=x::pwned\\n::stop-commands::abc"\nversions:\n- 4.50.1\n`,
      'channels/fast-4.50.yaml': `name: fast-4.50\nversions:\n- "${huge}"\n`,
    });
    const action = await runAction(head);
    expect(action.code).toBe(1);
    expect(statusOf(action.report, '4.50.1')).toBe('failed');
    expect(foreignCommands(action.stdout)).toEqual([]);
    expect(action.stdout.length).toBeLessThan(256 * 1024);
    expect(Buffer.byteLength(action.summary)).toBeLessThan(1024 * 1024);
    const cli = await runCli(head);
    expect(cli.code).toBe(1);
    expect(cli.stdout.length).toBeLessThan(256 * 1024);
  });
});

describe('bounded resources on hostile input', () => {
  it('a 50 MB channel file is a finding, and the rest is still checked, in well under 1 GB', async () => {
    const head = await attack('50mb', { 'channels/huge-4.50.yaml': `name: huge-4.50\nversions:\n${'- 4.50.7\n'.repeat((50 * 1024 * 1024) / 9)}` });
    const cli = await runCli(head);
    expect(cli.code).toBe(1);
    expect(statusOf(cli.report, '4.50.1')).toBe('failed');
    expect(cli.report?.findings.map((f) => [f.code, f.file])).toContainEqual(['CHANNEL_FILE_TOO_LARGE', 'channels/huge-4.50.yaml']);
    expect(cli.maxRss).toBeGreaterThan(0);
    expect(cli.maxRss).toBeLessThan(1024 * 1024 * 1024);
    console.log(`50 MB channel file: exit ${cli.code}, peak RSS ${(cli.maxRss / 1024 / 1024).toFixed(0)} MiB`);
  });

  it('sixty channel files of 1 MiB of YAML flow values are findings within a second and 400 MB, not 600 MB and 2 s each', async () => {
    // Within the 1 MiB per-file and 64 MiB total caps; parsed, each took some 600 MB and 2 s, and gave
    // 524,269 findings (one per entry).
    const bomb = (i: number) => `name: bomb-${i}\nversions: [${'0,'.repeat(512 * 1024 - 20)}0]\n`;
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`channels/bomb-${i}.yaml`] = bomb(i);
    files['channels/many-4.50.yaml'] = `name: many-4.50\nversions:\n${Array.from({ length: 5000 }, (_, i) => `- not-a-version-${i}`).join('\n')}\n`;
    const head = await attack('yaml-bomb', files);
    const started = Date.now();
    const cli = await runCli(head);
    const seconds = (Date.now() - started) / 1000;
    expect(cli.code).toBe(1);
    expect(statusOf(cli.report, '4.50.1')).toBe('failed');
    const codes = cli.report?.findings.map((f) => `${f.code} ${f.file}`) ?? [];
    expect(codes.filter((c) => c.startsWith('CHANNEL_FILE_TOO_LARGE channels/bomb-'))).toHaveLength(60);
    // 5,000 bad entries: 100 findings and one that says how many more.
    expect(codes.filter((c) => c.endsWith('channels/many-4.50.yaml'))).toHaveLength(101);
    expect(codes).toContain('CHANNEL_FINDINGS_CUT channels/many-4.50.yaml');
    expect(cli.maxRss).toBeLessThan(400 * 1024 * 1024);
    console.log(`60 YAML flow-value channel files of 1 MiB and one of 5,000 bad entries: exit ${cli.code} in ${seconds.toFixed(1)} s, peak RSS ${(cli.maxRss / 1024 / 1024).toFixed(0)} MiB, ${codes.length} findings`);
  });

  it('--require , and a channel glob that matches nothing are usage errors (exit 2)', async () => {
    git(repo, 'checkout', '-q', '-f', baseCommit);
    const empty = await runDist('cli.js', ['--graph-data', repo, '--require', ',', '--dry-run'], { cwd: repo });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('names no check');
    const glob = await runDist('cli.js', ['--graph-data', repo, '--channel', 'nothing-*', '--dry-run'], { cwd: repo });
    expect(glob.code).toBe(2);
    expect(glob.stderr).toContain('matches no channel');
  });

  it('the Action writes its cache and reports only inside the workspace or the runner temp', async () => {
    const head = await attack('outside', {});
    const outside = await makeTempDir('outside');
    try {
      const r = await runAction(head, { cache: join(outside, 'cache.json') });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('is outside the workspace and the runner');
      await expect(readFile(join(outside, 'cache.json'))).rejects.toThrow();
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('the cache is keyed by the sources read', () => {
  it('a result verified in the release repository is not reused for a mirror that lacks the .sig tag', async () => {
    const mirror = await startRegistry();
    try {
      // The mirror holds 4.50.0's arm64 image, byte for byte, without its .sig tag.
      const pusher = new HttpPusher(mirror.url, REPO);
      const img = buildImage({ arch: 'arm64', seed: '4.50.0-aarch64' });
      for (const b of [img.config, ...img.layers]) await pusher.blob(b);
      expect(await pusher.manifest(img.manifest, img.mediaType, '4.50.0-aarch64')).toBe(world.digests.get('4.50.0/arm64'));
      const gd = join(tmp, 'mirror-gd');
      await mkdir(join(gd, 'channels'), { recursive: true });
      await writeFile(join(gd, 'channels', 'candidate-4.50.yaml'), BASE_CHANNEL);
      const cache = join(tmp, 'mirror-cache.json');
      const args = ['--graph-data', gd, '--cache', cache, '--format', 'json', ...world.args(), '--arch', 'arm64'];
      const first = await runDist('cli.js', args, { cwd: tmp });
      expect(first.code).toBe(0);
      const second = await runDist('cli.js', [...args, '--mirror', `${mirror.url}/${REPO}`], { cwd: tmp });
      expect(second.code).toBe(1);
      const report = JSON.parse(second.stdout) as JsonReport;
      expect(report.nodes[0]!.sigstore.outcome).toBe('missing');
      expect(report.nodes[0]!.sigstore.cached).toBeUndefined();
    } finally {
      await mirror.stop();
    }
  });
});

describe('attacks from servers, through the bundle', () => {
  it('two stores, one failing with 503 and one answering 404: error (exit 3), never missing', async () => {
    const failing = await startServer((_req, res) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('down'));
    const empty = await startServer((_req, res) => void res.writeHead(404).end());
    try {
      const gd = join(tmp, 'stores-gd');
      await mkdir(join(gd, 'channels'), { recursive: true });
      await writeFile(join(gd, 'channels', 'candidate-4.50.yaml'), BASE_CHANNEL);
      const r = await runDist('cli.js', ['--graph-data', gd, '--release-repo', world.releaseRepo, '--signature-store', `${failing.url}/sigs`, '--signature-store', `${empty.url}/sigs`, '--openpgp-key', world.openpgpKeyFile, '--sigstore-key', world.sigstoreKeyFile, '--arch', 'amd64', '--retries', '1', '--timeout', '3s', '--format', 'json'], { cwd: tmp });
      expect(r.code).toBe(3);
      const report = JSON.parse(r.stdout) as JsonReport;
      expect(report.nodes[0]!.openpgp.outcome).toBe('error');
      expect(failing.requests.length).toBeGreaterThan(0);
      expect(empty.requests.length).toBeGreaterThan(0);
    } finally {
      await failing.stop();
      await empty.stop();
    }
  });

  it('a registry naming a token realm on another registry of the auth file gets no token minted with its credentials', async () => {
    const victim = await startTokenIssuer({ host: '127.0.0.2', users: { 'victim-user': 'victim-secret' } });
    const img = buildImage({ arch: 'amd64', seed: 'realm-attack' });
    const hostile = await startServer((req, res) => {
      if (typeof req.headers.authorization === 'string' && req.headers.authorization.startsWith('Bearer ')) {
        res.writeHead(200, { 'content-type': img.mediaType }).end(img.manifest);
        return;
      }
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${victim.url}/token?scope=repository:ocp/release:push",service="victim",scope="repository:ocp/release:push,pull"`, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    });
    const store = await startServer((_req, res) => void res.writeHead(404).end());
    try {
      const authfile = join(tmp, 'realm-auth.json');
      await writeFile(authfile, JSON.stringify({ auths: { [`127.0.0.2:${victim.port}`]: { auth: Buffer.from('victim-user:victim-secret').toString('base64') } } }));
      // The auth file as podman and skopeo find it (REGISTRY_AUTH_FILE), holding the victim registry's login.
      const r = await runDist('cli.js', ['image', `http://${hostile.host}/ocp/release:4.99.1-x86_64`, '--signature-store', `${store.url}/sigs`, '--sigstore-key', world.sigstoreKeyFile, '--retries', '0', '--format', 'json'], { cwd: tmp, env: { REGISTRY_AUTH_FILE: authfile } });
      expect([1, 3]).toContain(r.code);
      expect(victim.requests.length).toBeGreaterThan(0);
      for (const got of victim.requests) {
        expect(got.sentCredentials).toBe(false);
        expect(got.scopes).toEqual(['repository:ocp/release:pull']);
      }
    } finally {
      await Promise.all([victim.stop(), hostile.stop(), store.stop()]);
    }
  });

  it('the sticky comment of another user that carries the marker is left alone; a new one is written', async () => {
    const calls: { method: string; path: string }[] = [];
    const api = await startServer(async (req, res) => {
      calls.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/graphql') return json(200, { data: { viewer: { login: 'github-actions[bot]' } } });
      if (req.method === 'GET' && /\/issues\/\d+\/comments/.test(req.url ?? '')) {
        return json(200, [{ id: 77, body: '<!-- release-sigcheck:pr-comment -->\nall good, trust me', user: { login: 'mallory', type: 'User' } }]);
      }
      if (req.method === 'POST') return json(201, { id: 78 });
      return json(404, { message: 'Not Found' });
    });
    try {
      const head = await attack('comment', {});
      const r = await runAction(head, { comment: 'true', 'github-token': 'token-for-test' }, { GITHUB_API_URL: api.url, GITHUB_GRAPHQL_URL: `${api.url}/graphql` });
      expect(r.code).toBe(1);
      expect(calls.filter((c) => c.method === 'PATCH')).toEqual([]);
      expect(calls.some((c) => c.method === 'POST' && /\/issues\/\d+\/comments$/.test(c.path))).toBe(true);
    } finally {
      await api.stop();
    }
  });
});

