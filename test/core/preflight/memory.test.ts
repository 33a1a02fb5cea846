// Memory: the cgroup limit (v2 memory.max or v1 limit_in_bytes), total and available RAM, and the
// GOMEMLIMIT planned for tailscaled (a user's own wins).
import { describe, expect, it } from "vitest";
import { checkMemory, GOMEMLIMIT_SHARE, listLimitFiles, parseLimit, planGoMemLimit, probeMemory, readMeminfoBytes, type MemoryFacts } from "../../../src/core/preflight/memory.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const MIB = 2 ** 20;
const MEMINFO = "MemTotal:        1048576 kB\nMemFree:          1024 kB\nMemAvailable:     524288 kB\n";

describe("listLimitFiles", () => {
  it.each([
    ["0::/\n", ["/sys/fs/cgroup/memory.max"]],
    ["0::/docker/abc\n", ["/sys/fs/cgroup/docker/abc/memory.max", "/sys/fs/cgroup/memory.max"]],
    ["0::/docker/abc/\n", ["/sys/fs/cgroup/docker/abc/memory.max", "/sys/fs/cgroup/memory.max"]],
    ["4:memory:/x/y\n0::/\n", ["/sys/fs/cgroup/memory/x/y/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max"]],
    ["5:cpu,memory:/\n", ["/sys/fs/cgroup/memory/memory.limit_in_bytes"]],
    ["3:cpu:/x\n1:name=systemd:/y\n", []],
    ["0:x:/z\n", []],
    ["1::/x\n", []],
    ["0:\n", []],
    ["garbage\n\n", []],
  ])("limit files of %j", (cgroup, files) => {
    expect(listLimitFiles(cgroup)).toEqual(files);
  });
});

describe("parseLimit", () => {
  it.each([
    ["max\n", undefined],
    ["9223372036854771712\n", undefined],
    [String(2 ** 60), undefined],
    [String(2 ** 60 - 4096), 2 ** 60 - 4096],
    ["268435456\n", 268435456],
    ["0", undefined],
    ["-1", undefined],
    ["garbage", undefined],
  ])("limit %j → %s", (text, bytes) => {
    expect(parseLimit(text)).toBe(bytes);
  });
});

describe("readMeminfoBytes", () => {
  it("reads meminfo fields in bytes, whole field names only", () => {
    expect(readMeminfoBytes("MemTotal:       131072 kB\nMemAvailable:    65536 kB\n", "MemAvailable")).toBe(65536 * 1024);
    expect(readMeminfoBytes("MemTotal:       131072 kB\n", "MemTotal")).toBe(131072 * 1024);
    expect(readMeminfoBytes("MemTotal: 1 kB\n", "MemAvailable")).toBeUndefined();
    expect(readMeminfoBytes("XMemTotal: 1 kB\nMemTotal: 2 kB extra\n", "MemTotal")).toBeUndefined();
  });
});

describe("probeMemory", () => {
  it("takes the first limit file there is: the cgroup's own before the root's", () => {
    const files = createFakeHost({ files: { "/proc/self/cgroup": "0::/docker/abc\n", "/sys/fs/cgroup/docker/abc/memory.max": "268435456\n", "/sys/fs/cgroup/memory.max": "max\n", "/proc/meminfo": MEMINFO } }).files;
    expect(probeMemory(files)).toEqual({ limitBytes: 256 * MIB, limitFile: "/sys/fs/cgroup/docker/abc/memory.max", totalBytes: 1024 * MIB, availableBytes: 512 * MIB });
  });

  it("falls back to the root's file; `max` there is no limit, but its file is named", () => {
    const files = createFakeHost({ files: { "/proc/self/cgroup": "0::/docker/abc\n", "/sys/fs/cgroup/memory.max": "max\n" } }).files;
    expect(probeMemory(files)).toEqual({ limitBytes: undefined, limitFile: "/sys/fs/cgroup/memory.max", totalBytes: undefined, availableBytes: undefined });
  });

  it("nothing readable: nothing known", () => {
    expect(probeMemory(createFakeHost().files)).toEqual({ limitBytes: undefined, limitFile: undefined, totalBytes: undefined, availableBytes: undefined });
  });
});

describe("planGoMemLimit", () => {
  const facts = (limitBytes: number | undefined, totalBytes: number | undefined): MemoryFacts => ({ limitBytes, totalBytes, limitFile: undefined, availableBytes: undefined });
  it.each([
    [256 * MIB, 2 ** 30, "192MiB"],
    [2 ** 30, 128 * MIB, "96MiB"],
    [100 * MIB, undefined, "75MiB"],
    [1000, 2 ** 30, "1MiB"],
    [undefined, 128 * MIB, undefined],
  ])("GOMEMLIMIT for a limit of %s and RAM of %s is %s", (limit, total, expected) => {
    expect(planGoMemLimit(facts(limit, total))).toBe(expected);
  });

  it("is three quarters of the limit", () => {
    expect(GOMEMLIMIT_SHARE).toBe(0.75);
  });
});

describe("checkMemory", () => {
  const facts: MemoryFacts = { limitBytes: 256 * MIB, limitFile: "/sys/fs/cgroup/memory.max", totalBytes: 1024 * MIB, availableBytes: 512 * MIB };
  it.each([
    ["a limit: GOMEMLIMIT planned", facts, {}, "cgroup limit 256 MiB; RAM 1024 MiB, available 512 MiB; tailscaled gets GOMEMLIMIT=192MiB", "192MiB"],
    ["the user's own GOMEMLIMIT wins", facts, { GOMEMLIMIT: "50MiB" }, "cgroup limit 256 MiB; RAM 1024 MiB, available 512 MiB; GOMEMLIMIT=50MiB as set", undefined],
    ["no limit", { ...facts, limitBytes: undefined }, {}, "no cgroup memory limit; RAM 1024 MiB, available 512 MiB; GOMEMLIMIT not set", undefined],
    ["nothing known", { limitBytes: undefined, limitFile: undefined, totalBytes: undefined, availableBytes: undefined }, {}, "no cgroup memory limit; RAM unknown, available unknown; GOMEMLIMIT not set", undefined],
  ])("%s", (_, given, env, what, goMemLimit) => {
    expect(checkMemory(given, env)).toEqual({ check: { id: "memory", status: "ok", what }, goMemLimit });
  });

  it("rounds to whole MiB", () => {
    expect(checkMemory({ limitBytes: 1.6 * MIB, limitFile: undefined, totalBytes: 2.4 * MIB, availableBytes: undefined }, {}).check.what).toBe("cgroup limit 2 MiB; RAM 2 MiB, available unknown; tailscaled gets GOMEMLIMIT=1MiB");
  });
});
