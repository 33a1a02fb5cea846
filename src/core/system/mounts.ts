// Which filesystem a path lives on, from /proc/self/mountinfo.
import type { FilesPort } from "../host.ts";

/** One mount: where it is and what kind of filesystem. */
export interface Mount {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly source: string;
  readonly options: string;
}

/** Parses /proc/self/mountinfo (proc(5)): mount point is field 5, fs type and source follow " - ". */
export function parseMountInfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split("\n")) {
    const [left, right] = line.split(" - ");
    if (left === undefined || right === undefined) continue;
    const fields = left.split(" ");
    const [fsType, source] = right.split(" ");
    const mountPoint = fields[4];
    if (mountPoint === undefined || fsType === undefined) continue;
    mounts.push({ mountPoint: unescapeMountPath(mountPoint), fsType, source: source ?? "", options: fields[5] ?? "" });
  }
  return mounts;
}

/** The mount a path is on: the last-mounted one with the longest matching mount point. */
export function findMount(mounts: readonly Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const contains = point === "/" || path === point || path.startsWith(`${point}/`);
    if (contains && (best === undefined || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

/** Reads the mount table; empty when /proc is not mounted. */
export function readMounts(files: FilesPort): Mount[] {
  const text = files.readText("/proc/self/mountinfo");
  return text.ok ? parseMountInfo(text.value) : [];
}

// mountinfo escapes space, tab, newline and backslash as octal (\040 ...).
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
