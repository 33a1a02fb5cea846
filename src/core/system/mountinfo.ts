// /proc/self/mountinfo: which mount a path lives on, its filesystem type and whether it is read-only.
import type { FilesPort } from "../host.ts";

/** One mount as the kernel lists it. */
export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly source: string;
  readonly readOnly: boolean;
  /** Mounted `nodev`: device nodes on it cannot be opened (EACCES). */
  readonly noDev: boolean;
}

/** Parses mountinfo (proc(5)): fields 5 and 6 are the mount point and options; after `-` come type and source. */
export function parseMountInfo(text: string): readonly MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const separator = fields.indexOf("-", 6);
    const mountPoint = fields[4];
    const options = fields[5];
    const fsType = fields[separator + 1];
    if (separator < 0 || mountPoint === undefined || options === undefined || fsType === undefined) continue;
    const flags = options.split(",");
    mounts.push({ mountPoint: unescapeOctal(mountPoint), fsType, source: unescapeOctal(fields[separator + 2] ?? ""), readOnly: flags.includes("ro"), noDev: flags.includes("nodev") });
  }
  return mounts;
}

/** The mount `path` is on: the last-mounted entry with the longest mount point that contains it. */
export function findMount(mounts: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const prefix = mount.mountPoint === "/" ? "/" : `${mount.mountPoint}/`;
    const contains = path === mount.mountPoint || path.startsWith(prefix);
    if (contains && (best === undefined || mount.mountPoint.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

// The kernel writes space, tab, newline and backslash in paths as \040, \011, \012, \134.
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Reads this process's mount table; empty when /proc is not mounted. */
export function readMounts(files: FilesPort): readonly MountEntry[] {
  const text = files.readText("/proc/self/mountinfo");
  return text.ok ? parseMountInfo(text.value) : [];
}
