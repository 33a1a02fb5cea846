// A directory tree as one line per entry (type, permission bits, owner, and the content's sha256 or the
// link's target), to compare two unpackings of the same image file by file.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/**
 * path (relative) -> "TYPE MODE UID:GID CONTENT" for every entry under `root`, the root itself left
 * out (its mode is the unpacker's: a layer has no entry for it).
 */
export function listTree(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  const visit = (relative: string) => {
    const path = join(root, relative);
    const stat = lstatSync(path);
    const owner = `${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid}`;
    if (stat.isSymbolicLink()) entries.set(relative, `link ${owner} -> ${readlinkSync(path)}`);
    else if (stat.isFile()) entries.set(relative, `file ${owner} ${stat.size} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
    else if (stat.isDirectory()) {
      if (relative !== ".") entries.set(relative, `dir ${owner}`);
      for (const name of readdirSync(path)) visit(relative === "." ? name : join(relative, name));
    } else entries.set(relative, `other ${owner} ${stat.rdev}`);
  };
  visit(".");
  return entries;
}
