// Bytes cut into chunks at given points, as a pipe may deliver them: for the tests of the decoders that
// must give the same text however the bytes arrive.

/** `bytes` cut at each of `cuts` (taken modulo its length + 1, repeated ones once), in order. */
export function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}
