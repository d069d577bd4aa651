// The two CommonJS modules of unbzip2-stream that decompress.ts uses (the package ships no types for them).
declare module 'unbzip2-stream/lib/bzip2.js' {
  interface BitReader {
    (n: number | null): number;
    bytesRead: number;
  }
  const bzip2: {
    header(bits: BitReader): number;
    decompress(bits: BitReader, out: (byte: number) => void, buf: Int32Array, bufsize: number, streamCRC: number): number | null;
  };
  export default bzip2;
}
declare module 'unbzip2-stream/lib/bit_iterator.js' {
  import type bzip2 from 'unbzip2-stream/lib/bzip2.js';
  type BitReader = Parameters<typeof bzip2.header>[0];
  const bitIterator: (next: () => Uint8Array) => BitReader;
  export default bitIterator;
}
