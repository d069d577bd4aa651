import { describe, expect, it } from 'vitest';
import { DEFAULT_CINCINNATI_URL, DEFAULT_RELEASE_REPO, parseCincinnati, toCheckConfig } from '../../src/options/registry.ts';
import { isSigcheckError } from '../../src/model/errors.ts';

function usage(fn: () => unknown): { option: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    if (isSigcheckError(err, 'USAGE')) return { option: err.option, message: err.message };
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('--cincinnati', () => {
  it('defaults to the public graph API with the default release repository, and to none with another one', () => {
    expect(DEFAULT_CINCINNATI_URL).toBe('https://api.openshift.com/api/upgrades_info/graph');
    expect(parseCincinnati(undefined, DEFAULT_RELEASE_REPO)).toBe(DEFAULT_CINCINNATI_URL);
    expect(toCheckConfig({}).cincinnati).toBe(DEFAULT_CINCINNATI_URL);
    // The public graph names quay.io payloads only: it says nothing of another repository.
    expect(toCheckConfig({ releaseRepo: '127.0.0.1:5000/ocp/release' }).cincinnati).toBeUndefined();
    expect(toCheckConfig({ releaseRepo: '127.0.0.1:5000/ocp/release', cincinnati: 'http://127.0.0.1:8080/graph' }).cincinnati).toBe('http://127.0.0.1:8080/graph');
  });

  it('turns off with none', () => {
    expect(parseCincinnati('none', DEFAULT_RELEASE_REPO)).toBeUndefined();
    expect(toCheckConfig({ cincinnati: 'none' }).cincinnati).toBeUndefined();
  });

  it('refuses what is not a graph API URL, naming the option', () => {
    for (const [value, words] of [
      ['graph.example.com', "graph API's http(s) URL"],
      ['ftp://graph.example.com/graph', 'http(s) URL or none'],
      ['https://user:secret@graph.example.com/graph', 'must not carry credentials'],
      ['https://graph.example.com/graph?channel=stable-4.18', 'without a query'],
    ] as const) {
      const e = usage(() => parseCincinnati(value, DEFAULT_RELEASE_REPO));
      expect(e.option).toBe('cincinnati');
      expect(e.message).toContain(words);
      expect(e.message).not.toContain('secret');
    }
  });
});
