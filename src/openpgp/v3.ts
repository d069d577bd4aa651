/**
 * Canonical text, as x/crypto/openpgp hashes a text-mode (signature type 0x01) document for the
 * cluster-version operator (openpgp/canonical_text.go): every LF not preceded by CR becomes CR LF;
 * everything else is unchanged.
 */
export function canonicalText(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x0a && (i === 0 || data[i - 1] !== 0x0d)) out.push(0x0d);
    out.push(c);
  }
  return Uint8Array.from(out);
}
