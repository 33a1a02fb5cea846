// Reads an uncompressed tar held in memory (ustar/GNU headers): the entries the size tables
// (image-sizes.mjs) and the image tests look at. No extraction, no PAX or long-name records (the
// image's tars have none).

/** Each entry: name, type flag ("0" file, "5" dir, "2" symlink ...), size and its bytes. */
export function readTarEntries(tar) {
  const entries = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (start, length) => header.subarray(start, start + length).toString("ascii").replace(/\0.*$/s, "");
    const size = Number.parseInt(text(124, 12).trim() || "0", 8);
    entries.push({ name: text(0, 100), type: text(156, 1) || "0", size, data: tar.subarray(offset + 512, offset + 512 + size) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** The bytes of one entry (`name` or `./name`); throws when the tar has no such entry. */
export function readTarEntry(tar, name) {
  const entry = readTarEntries(tar).find((candidate) => candidate.name === name || candidate.name === `./${name}`);
  if (entry === undefined) throw new Error(`${name} not in the tar`);
  return entry.data;
}
