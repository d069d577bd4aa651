import { describe, expect, it } from 'vitest';
import { SigcheckError, isSigcheckError } from '../../src/model/errors.ts';
import { HostBreaker } from '../../src/http/breaker.ts';

const refused = new SigcheckError('HTTP_CONNECT', 'registry.example:5000: the connection was refused (ECONNREFUSED)', { hint: { env: ['HTTPS_PROXY'] } });

function refusal(b: HostBreaker): SigcheckError {
  try {
    b.admit();
  } catch (err) {
    if (isSigcheckError(err)) return err;
    throw err;
  }
  throw new Error('expected the breaker to refuse');
}

describe('HostBreaker', () => {
  it('opens after `threshold` connection failures in a row, with the cause and its hint', () => {
    const b = new HostBreaker('registry.example:5000', { threshold: 3, cooldownMs: 1000 }, () => 0);
    for (let i = 0; i < 2; i++) {
      expect(b.admit()).toBe(false);
      b.onConnectFailure(refused, false);
    }
    expect(b.isOpen).toBe(false);
    b.onConnectFailure(refused, false);
    expect(b.isOpen).toBe(true);
    const err = refusal(b);
    expect(err.code).toBe('HTTP_UNREACHABLE');
    expect(err.message).toBe(`${refused.message} (3 connection attempts in a row failed; the other requests to registry.example:5000 were not sent)`);
    expect(err.hint).toEqual({ env: ['HTTPS_PROXY'] });
    expect(b.refused).toBe(1);
  });

  it('counts only failures in a row: an answer in between starts over', () => {
    const b = new HostBreaker('h', { threshold: 2, cooldownMs: 1000 }, () => 0);
    b.onConnectFailure(refused, false);
    b.onAnswer();
    b.onConnectFailure(refused, false);
    expect(b.isOpen).toBe(false);
  });

  it('lets one probe through per cool-down; a failed probe reopens it, an answer closes it', () => {
    let now = 0;
    const b = new HostBreaker('h', { threshold: 1, cooldownMs: 1000 }, () => now);
    b.onConnectFailure(refused, false);
    now = 999;
    expect(refusal(b).code).toBe('HTTP_UNREACHABLE');
    now = 1000;
    expect(b.admit()).toBe(true);
    // While the probe is out, everything else is still refused.
    expect(refusal(b).code).toBe('HTTP_UNREACHABLE');
    b.onConnectFailure(refused, true);
    now = 1500;
    expect(refusal(b).code).toBe('HTTP_UNREACHABLE');
    now = 2000;
    expect(b.admit()).toBe(true);
    b.onAnswer();
    expect(b.isOpen).toBe(false);
    expect(b.admit()).toBe(false);
    expect(b.opened).toBe(1);
  });

  it('reopens after a probe that failed in another way (a reset, a timeout)', () => {
    let now = 0;
    const b = new HostBreaker('h', { threshold: 1, cooldownMs: 100 }, () => now);
    b.onConnectFailure(refused, false);
    now = 100;
    expect(b.admit()).toBe(true);
    b.onOtherFailure(true);
    expect(refusal(b).code).toBe('HTTP_UNREACHABLE');
  });
});
