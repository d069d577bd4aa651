/**
 * The differential harness: runs ../shared/oracle/bin/oracle (the consumers' own code) on a case and
 * compares its decision with the tool's. The outcome of a comparison:
 *  - `agree`: both accept or both reject;
 *  - `deliberate`: the oracle accepts, the tool rejects with `deliberate: true` (the contract's
 *    "Deliberately stricter" list);
 *  - `contract-over-oracle`: the case is one the oracle documents it cannot judge (old sigstore rejects
 *    raw P1363 ECDSA; old containers/image does not hash-check layer blobs), and the tool follows the
 *    contract; the case names why;
 *  - `disagree`: anything else. The suites fail on any.
 */
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import { HAVE_ORACLE, ORACLE } from '../helpers/paths.ts';

export { HAVE_ORACLE, ORACLE };

export interface OracleVerdict {
  accept: boolean;
  reason: string;
}

/** Runs the oracle; a setup failure (ORACLE-SETUP, KEYRING-UNREADABLE) throws, as a broken harness. */
export function runOracle(args: string[]): Promise<OracleVerdict> {
  return new Promise((resolve, reject) => {
    execFile(ORACLE, args, { timeout: 90_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`oracle ${args.join(' ')} failed: ${err.message} ${stderr}`));
      const verdict = JSON.parse(stdout.trim()) as OracleVerdict;
      if (/^(ORACLE-SETUP|KEYRING-UNREADABLE)/.test(verdict.reason)) return reject(new Error(`oracle setup problem: ${verdict.reason}`));
      resolve(verdict);
    });
  });
}

export interface ToolVerdict {
  accept: boolean;
  code: string;
  reason: string;
  deliberate: boolean;
}

export type Comparison = 'agree' | 'deliberate' | 'contract-over-oracle' | 'disagree';

export interface CaseResult {
  cls: string;
  name: string;
  oracle: OracleVerdict;
  tool: ToolVerdict;
  comparison: Comparison;
  /** Why the contract wins over the oracle here (from the oracle's "cannot judge" list). */
  why?: string;
}

export function compare(oracle: OracleVerdict, tool: ToolVerdict, contractOverOracle?: { toolAccepts: boolean; why: string }): { comparison: Comparison; why?: string } {
  if (contractOverOracle && tool.accept === contractOverOracle.toolAccepts && oracle.accept !== tool.accept) return { comparison: 'contract-over-oracle', why: contractOverOracle.why };
  if (oracle.accept === tool.accept) return { comparison: 'agree' };
  if (oracle.accept && !tool.accept && tool.deliberate) return { comparison: 'deliberate' };
  return { comparison: 'disagree' };
}

/** One line: cases per class, agreements, deliberate, contract-over-oracle, disagreements. */
export function summaryLine(suite: string, results: readonly CaseResult[]): string {
  const perClass = new Map<string, number>();
  for (const r of results) perClass.set(r.cls, (perClass.get(r.cls) ?? 0) + 1);
  const count = (c: Comparison) => results.filter((r) => r.comparison === c).length;
  const classes = [...perClass].map(([c, n]) => `${c} ${n}`).join(', ');
  return `differential ${suite}: ${results.length} cases (${classes}); ${count('agree')} agreements, ${count('deliberate')} deliberate, ${count('contract-over-oracle')} contract-over-oracle, ${count('disagree')} disagreements`;
}

/** Fails with every disagreement listed. */
export function expectNoDisagreement(results: readonly CaseResult[]): void {
  const bad = results.filter((r) => r.comparison === 'disagree').map((r) => `${r.cls}/${r.name}: oracle ${r.oracle.accept ? 'ACCEPT' : 'REJECT'} (${r.oracle.reason}), tool ${r.tool.accept ? 'ACCEPT' : 'REJECT'} (${r.tool.code}: ${r.tool.reason})`);
  expect(bad, bad.join('\n')).toEqual([]);
}

/** mulberry32: the seeded generator of the random mutations. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed of the generated corpora: SIGCHECK_DIFF_SEED, or a fixed default so that runs repeat. */
export const SEED = Number(process.env['SIGCHECK_DIFF_SEED'] ?? 20260601);
