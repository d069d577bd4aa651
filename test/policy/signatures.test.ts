import { describe, expect, it } from 'vitest';
import { signatureFromBlob } from '../../src/policy/signatures.ts';

const b = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('signatureFromBlob (containers/image internal/signature FromBlob)', () => {
  it('takes a binary OpenPGP message by its first packet tag', () => {
    for (const first of [0xa3, 0xc8, 0x90, 0xc4, 0x89, 0xc2]) expect(signatureFromBlob(b([first, 1, 2]), 's')).toMatchObject({ format: 'simple-signing' });
  });
  it('reads the \\x00simple-signing and \\x00sigstore-json formats', () => {
    const simple = signatureFromBlob(b([0], 'simple-signing\n', [0xa3, 1]), 's');
    expect(typeof simple !== 'string' && simple.format === 'simple-signing' && [...simple.blob]).toEqual([0xa3, 1]);
    const json = JSON.stringify({ mimeType: 'application/vnd.dev.cosign.simplesigning.v1+json', payload: Buffer.from('{}').toString('base64'), annotations: { a: 'b' } });
    expect(signatureFromBlob(b([0], 'sigstore-json\n', json), 's')).toMatchObject({ format: 'sigstore', mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', annotations: { a: 'b' } });
  });
  const bad: [string, Buffer, RegExp][] = [
    ['an empty blob', b(''), /empty signature blob/],
    ['text', b('<html>'), /unrecognized signature format, starting with binary 0x3c/],
    ['an armored signature', b('-----BEGIN PGP SIGNATURE-----'), /unrecognized signature format/],
    ['a format without a newline', b([0], 'simple-signing'), /missing newline/],
    ['an unknown format', b([0], 'x509\n'), /unrecognized signature format "x509"/],
    ['a sigstore-json blob that is not JSON', b([0], 'sigstore-json\n{'), /not valid JSON/],
  ];
  for (const [what, blob, reason] of bad) it(`refuses ${what}`, () => expect(signatureFromBlob(blob, 's')).toMatch(reason));
});
