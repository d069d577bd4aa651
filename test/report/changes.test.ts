import { describe, expect, it } from 'vitest';
import { compareReports, emptyPrevious, exitCodeWithChanges, indexReport, newFailureCount, type ComparableNode } from '../../src/report/changes.ts';
import { ExitCode, type CheckResult, type Finding, type Outcome } from '../../src/model/results.ts';
import { fakeDigest } from '../helpers/fakes.ts';

const place = (line: number) => ({ file: 'channels/stable-4.18.yaml', line, channel: 'stable-4.18' });

function node(version: string, arch: string, openpgp: Outcome, sigstore: Outcome, digest: string | null = fakeDigest(`${version}/${arch}`)): ComparableNode {
  const check = (o: Outcome): CheckResult => ({ outcome: o, reason: `${o} reason` });
  return { version, arch, digest, places: [place(3)], openpgp: check(openpgp), sigstore: check(sigstore) };
}

const report = (nodes: ComparableNode[], findings: Finding[] = []) => ({ nodes, findings });

describe('compareReports', () => {
  const before = report(
    [
      node('4.18.1', 'amd64', 'verified', 'verified'), // stays
      node('4.18.2', 'amd64', 'verified', 'verified'), // its .sig becomes invalid
      node('4.18.3', 'amd64', 'missing', 'verified'), // gets signed
      node('4.18.4', 'amd64', 'verified', 'verified'), // its store signature is deleted
      node('4.18.5', 'amd64', 'verified', 'verified'), // tag moved to another signed image
      node('4.18.6', 'amd64', 'verified', 'missing'), // fails as before
      node('4.18.7', 'amd64', 'verified', 'missing'), // fails, and now OpenPGP fails too
      node('4.18.8', 'amd64', 'verified', 'verified'), // could not be checked now
      node('4.18.9', 'amd64', 'error', 'error', null), // could not be checked before either
      node('4.18.10', 'amd64', 'verified', 'missing'), // moved to another unsigned image
    ],
    [{ severity: 'error', code: 'VERSION_NOT_SEMVER', message: 'not semver', file: 'channels/a.yaml', line: 3, subject: '4.18.x' }],
  );
  const after = report(
    [
      node('4.18.1', 'amd64', 'verified', 'verified'),
      node('4.18.2', 'amd64', 'verified', 'invalid'),
      node('4.18.3', 'amd64', 'verified', 'verified'),
      node('4.18.4', 'amd64', 'missing', 'verified'),
      node('4.18.5', 'amd64', 'verified', 'verified', fakeDigest('moved')),
      node('4.18.6', 'amd64', 'verified', 'missing'),
      node('4.18.7', 'amd64', 'invalid', 'missing'),
      node('4.18.8', 'amd64', 'error', 'verified'),
      node('4.18.9', 'amd64', 'error', 'error', null),
      node('4.18.10', 'amd64', 'verified', 'missing', fakeDigest('moved-unsigned')),
      node('4.18.11', 'amd64', 'missing', 'missing'), // newly promoted, unsigned
      node('4.18.12', 'amd64', 'verified', 'verified'), // newly promoted, signed
    ],
    [
      // the same finding on another line (an edit above it) is not new
      { severity: 'error', code: 'VERSION_NOT_SEMVER', message: 'not semver', file: 'channels/a.yaml', line: 9, subject: '4.18.x' },
      { severity: 'error', code: 'NOT_PUBLISHED', message: '4.18.13 is promoted but no release image exists', file: 'channels/a.yaml', line: 12 },
      { severity: 'warning', code: 'VERSION_DUPLICATE', message: 'dup', file: 'channels/a.yaml', line: 1 },
    ],
  );
  const changes = compareReports(indexReport(before, 'prev.json'), after, 'new');
  const names = (list: { version: string }[]) => list.map((c) => c.version);

  it('sorts each node into the categories it belongs to', () => {
    expect(names(changes.newlyFailing)).toEqual(['4.18.2', '4.18.4', '4.18.7', '4.18.10', '4.18.11']);
    expect(names(changes.newlyPassing)).toEqual(['4.18.3']);
    expect(names(changes.newlyErrored)).toEqual(['4.18.8']);
    expect(names(changes.digestChanged)).toEqual(['4.18.5', '4.18.10']);
    expect(names(changes.signaturesDisappeared)).toEqual(['4.18.4']);
    expect(changes.signaturesDisappeared[0]!.checks).toEqual(['openpgp']);
    expect(changes.newFindings.map((f) => f.code)).toEqual(['NOT_PUBLISHED']);
    expect(changes).toMatchObject({ compared: 10, added: 2, knownFailures: 1, failOn: 'new', previous: { file: 'prev.json', found: true, nodes: 10 } });
  });

  it('keeps what a reader needs: before and after, why, and where', () => {
    const moved = changes.digestChanged[0]!;
    expect(moved.previous?.digest).toBe(fakeDigest('4.18.5/amd64'));
    expect(moved.current.digest).toBe(fakeDigest('moved'));
    const failing = changes.newlyFailing[0]!;
    expect(failing).toMatchObject({ previous: { status: 'passed' }, current: { status: 'failed', sigstore: 'invalid' }, reason: 'Sigstore invalid: invalid reason', places: [place(3)] });
    expect(changes.newlyFailing.find((c) => c.version === '4.18.11')!.previous).toBeNull();
  });

  it('with --fail-on new only new failures fail: known ones do not, new errors give exit 3', () => {
    expect(newFailureCount(changes)).toBe(6);
    expect(exitCodeWithChanges(ExitCode.Failed, changes)).toBe(ExitCode.Failed);
    const same = compareReports(indexReport(before, 'prev.json'), before, 'new');
    expect(same.knownFailures).toBe(4);
    expect(exitCodeWithChanges(ExitCode.Failed, same)).toBe(ExitCode.Passed);
    const onlyErrors = compareReports(indexReport(before, 'p'), report([...before.nodes.slice(0, 7), node('4.18.8', 'amd64', 'error', 'verified'), ...before.nodes.slice(8)], before.findings), 'new');
    expect(exitCodeWithChanges(ExitCode.Failed, onlyErrors)).toBe(ExitCode.Error);
    // --fail-on any keeps the run's own exit code
    expect(exitCodeWithChanges(ExitCode.Failed, { ...same, failOn: 'any' })).toBe(ExitCode.Failed);
    expect(exitCodeWithChanges(ExitCode.Usage, same)).toBe(ExitCode.Usage);
  });

  it('against no previous report every failure and error is new', () => {
    const first = compareReports(emptyPrevious('missing.json'), after, 'new');
    expect(first.previous).toEqual({ file: 'missing.json', found: false, nodes: 0 });
    expect(first.newlyFailing).toHaveLength(after.nodes.filter((n) => ['missing', 'invalid'].includes(n.openpgp.outcome) || ['missing', 'invalid'].includes(n.sigstore.outcome)).length);
    expect(first.newlyPassing).toEqual([]);
    expect(first.added).toBe(after.nodes.length);
    expect(exitCodeWithChanges(ExitCode.Failed, first)).toBe(ExitCode.Failed);
  });
});
