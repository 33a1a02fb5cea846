// Firewall backends: each of iptables-legacy / iptables-nft and the ip6tables pair tried with a write
// (a chain with a MARK rule, created and removed), and the rules already there counted.
import { describe, expect, it } from "vitest";
import { iptablesCommand, probeFirewall } from "../../../../src/core/preflight/firewall/probe-backends.ts";
import { createFakeCommands, type FakeAnswer } from "../../../fakes/fake-commands.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const EXECUTABLE = { kind: "file", mode: 0o755 } as const;
const ALL_BINARIES = Object.fromEntries(
  ["iptables", "ip6tables"].flatMap((name) => ["legacy", "nft"].flatMap((backend) => [`/usr/sbin/${name}-${backend}`, `/usr/sbin/${name}-${backend}-save`])).map((path) => [path, EXECUTABLE]),
);
const hostWith = (files: Record<string, typeof EXECUTABLE>) => createFakeHost({ env: { PATH: "/usr/local/bin:/usr/sbin" }, files });
const steps = (binary: string) => [
  [binary, "-w", "5", "-t", "filter", "-N", "TS-SUPERVISOR-PROBE"],
  [binary, "-w", "5", "-t", "filter", "-A", "TS-SUPERVISOR-PROBE", "-j", "MARK", "--set-mark", "0x40000/0xff0000"],
  [binary, "-w", "5", "-t", "filter", "-F", "TS-SUPERVISOR-PROBE"],
  [binary, "-w", "5", "-t", "filter", "-X", "TS-SUPERVISOR-PROBE"],
];

/** Probes with only iptables-legacy (and its -save) on PATH; `answer` scripts its commands by step (-N, -A, -F, -X, save). */
async function probeLegacy(answer: (step: string) => FakeAnswer | undefined, files: Record<string, typeof EXECUTABLE> = { "/usr/sbin/iptables-legacy": EXECUTABLE, "/usr/sbin/iptables-legacy-save": EXECUTABLE }) {
  const commands = createFakeCommands((argv) => answer(argv[0]?.endsWith("-save") === true ? "save" : (argv.find((arg) => /^-[NAFX]$/.test(arg)) ?? "")));
  const facts = await probeFirewall(hostWith(files), commands.runner);
  return { legacy4: facts.probes.find((probe) => probe.backend === "legacy" && probe.family === 4)?.result, ran: commands.ran, options: commands.options, facts };
}

describe("iptablesCommand", () => {
  it.each([
    [4, "legacy", "", "iptables-legacy"],
    [6, "nft", "-save", "ip6tables-nft-save"],
    [6, "legacy", "-restore", "ip6tables-legacy-restore"],
  ] as const)("IPv%i %s%s → %s", (family, backend, suffix, command) => {
    expect(iptablesCommand(family, backend, suffix)).toBe(command);
  });
});

describe("probeFirewall", () => {
  it("reports each backend and family missing when nothing is on PATH, running nothing", async () => {
    const commands = createFakeCommands();
    expect(await probeFirewall(hostWith({}), commands.runner)).toEqual({
      probes: [
        { backend: "legacy", family: 4, result: { kind: "missing" } },
        { backend: "legacy", family: 6, result: { kind: "missing" } },
        { backend: "nft", family: 4, result: { kind: "missing" } },
        { backend: "nft", family: 6, result: { kind: "missing" } },
      ],
    });
    expect(commands.ran).toEqual([]);
  });

  it("a backend that takes the chain, the rule, the flush and the delete works; its rules are the -A lines of -save", async () => {
    const { legacy4, ran, options } = await probeLegacy((step) => (step === "save" ? { stdout: "# Generated\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-A FORWARD -j DROP\nCOMMIT\n" } : undefined));
    expect(legacy4).toEqual({ kind: "works", rules: 2 });
    expect(ran).toEqual([...steps("/usr/sbin/iptables-legacy"), ["/usr/sbin/iptables-legacy-save"]]);
    expect(options.map((option) => option.timeoutMs)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(options[0]?.label).toBe("/usr/sbin/iptables-legacy -w 5 -t filter -N TS-SUPERVISOR-PROBE");
    expect(options[4]).toEqual({ label: "/usr/sbin/iptables-legacy-save", timeoutMs: 10_000, maxOutputBytes: 4 * 1024 * 1024 });
  });

  it("all four probed, each with its own binary", async () => {
    const commands = createFakeCommands();
    const facts = await probeFirewall(hostWith(ALL_BINARIES), commands.runner);
    expect(facts.probes.map((probe) => [probe.backend, probe.family, probe.result])).toEqual([
      ["legacy", 4, { kind: "works", rules: 0 }],
      ["legacy", 6, { kind: "works", rules: 0 }],
      ["nft", 4, { kind: "works", rules: 0 }],
      ["nft", 6, { kind: "works", rules: 0 }],
    ]);
    expect(new Set(commands.ran.map((argv) => argv[0]))).toEqual(new Set(Object.keys(ALL_BINARIES)));
  });

  it("a failing rule fails the backend with iptables' first line that is not a comment, and the chain is still removed", async () => {
    const { legacy4, ran } = await probeLegacy((step) => (step === "-A" ? { code: 1, stderr: "# Warning: iptables-legacy tables present\n\niptables: Invalid argument. Run `dmesg' for more information.\nmore\n" } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: "iptables: Invalid argument. Run `dmesg' for more information.", at: "rule" });
    expect(ran).toEqual([steps("/usr/sbin/iptables-legacy")[0], steps("/usr/sbin/iptables-legacy")[1], steps("/usr/sbin/iptables-legacy")[2], steps("/usr/sbin/iptables-legacy")[3]]);
  });

  it("a failing chain creation skips the rule but still cleans up", async () => {
    const { legacy4, ran } = await probeLegacy((step) => (step === "-N" ? { code: 4, stderr: "iptables v1.8.10 (nf_tables): Could not fetch rule set generation id: Invalid argument\n" } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: "iptables v1.8.10 (nf_tables): Could not fetch rule set generation id: Invalid argument", at: "chain" });
    expect(ran.map((argv) => argv[5])).toEqual(["-N", "-F", "-X"]);
  });

  it("a command that does not run to its end fails the backend at once: nothing more is run for it", async () => {
    const { legacy4, ran } = await probeLegacy((step) => (step === "-N" ? { failure: "timed-out", error: "iptables-legacy did not finish within 10s and was ended" } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: "iptables-legacy did not finish within 10s and was ended", at: "unfinished" });
    expect(ran.map((argv) => argv[5])).toEqual(["-N"]);
  });

  it("a flush that does not run to its end skips the delete; the rule's error is the one told", async () => {
    const { legacy4, ran } = await probeLegacy((step) => (step === "-A" ? { code: 1, stderr: "bad rule" } : step === "-F" ? { failure: "stopped", error: "stopped" } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: "bad rule", at: "rule" });
    expect(ran.map((argv) => argv[5])).toEqual(["-N", "-A", "-F"]);
  });

  it("a flush that does not run to its end after a good rule is the failure", async () => {
    const { legacy4, ran } = await probeLegacy((step) => (step === "-F" ? { failure: "timed-out", error: "flush timed out" } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: "flush timed out", at: "unfinished" });
    expect(ran.map((argv) => argv[5])).toEqual(["-N", "-A", "-F"]);
  });

  it.each([
    ["-F", "flush refused"],
    ["-X", "delete refused"],
  ])("a backend whose %s fails (the chain stays behind) does not work", async (failing, words) => {
    const { legacy4, ran } = await probeLegacy((step) => (step === failing ? { code: 1, stderr: words } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: words, at: "cleanup" });
    expect(ran.map((argv) => argv[5])).toEqual(["-N", "-A", "-F", "-X"]);
  });

  it("the first line with words, trimmed", async () => {
    const { legacy4 } = await probeLegacy((step) => (step === "-A" ? { code: 1, stderr: "   \n  iptables: No chain/target/match by that name.  \n" } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: "iptables: No chain/target/match by that name.", at: "rule" });
  });

  it("finds the binaries on the container's PATH, wherever that leads", async () => {
    const commands = createFakeCommands((argv) => (argv[0]?.endsWith("-save") === true ? { stdout: "-A X\n" } : undefined));
    const facts = await probeFirewall(createFakeHost({ env: { PATH: "/opt/xt" }, files: { "/opt/xt/iptables-nft": EXECUTABLE, "/opt/xt/iptables-nft-save": EXECUTABLE } }), commands.runner);
    expect(facts.probes.find((probe) => probe.backend === "nft" && probe.family === 4)?.result).toEqual({ kind: "works", rules: 1 });
    expect(commands.ran.map((argv) => argv[0])).toEqual(["/opt/xt/iptables-nft", "/opt/xt/iptables-nft", "/opt/xt/iptables-nft", "/opt/xt/iptables-nft", "/opt/xt/iptables-nft-save"]);
  });

  it("a failure without words names the command and how it ended", async () => {
    const { legacy4 } = await probeLegacy((step) => (step === "-A" ? { code: 2, stderr: "# only a comment\n" } : undefined));
    expect(legacy4).toEqual({ kind: "fails", error: '/usr/sbin/iptables-legacy ended {"kind":"exited","code":2}', at: "rule" });
  });

  it.each([
    ["no -save on PATH", {}, { "/usr/sbin/iptables-legacy": EXECUTABLE }],
    ["a -save that does not run to its end", { failure: "timed-out", error: "x" } as const, undefined],
  ])("counts no rules with %s", async (_, saveAnswer, files) => {
    const { legacy4, ran } = await probeLegacy((step) => (step === "save" ? saveAnswer : { stdout: "-A FORWARD -j DROP\n" }), files);
    expect(legacy4).toEqual({ kind: "works", rules: 0 });
    expect(ran).toHaveLength(files === undefined ? 5 : 4);
  });
});

describe("probeFirewall, enough for the choice (the supervisor before tailscaled starts)", () => {
  const save = (stdout: string): FakeAnswer => ({ stdout });
  const run = async (answer: (argv: readonly string[]) => FakeAnswer | undefined, files: Record<string, typeof EXECUTABLE> = ALL_BINARIES) => {
    const commands = createFakeCommands(answer);
    const facts = await probeFirewall(hostWith(files), commands.runner, "enough");
    return { results: facts.probes.map((probe) => `${probe.backend} v${probe.family} ${JSON.stringify(probe.result)}`), ran: commands.ran.map((argv) => argv.filter((arg) => !["-w", "5", "-t", "filter"].includes(arg)).join(" ")) };
  };

  it("legacy works and nft holds no rules: legacy written to, nft only read, and nothing more", async () => {
    const { results, ran } = await run(() => undefined);
    expect(results).toEqual([
      'legacy v4 {"kind":"works","rules":0}',
      'legacy v6 {"kind":"works","rules":0}',
      'nft v4 {"kind":"not-probed","reason":"legacy works and nft holds no rules in this netns"}',
      'nft v6 {"kind":"not-probed","reason":"legacy works and nft holds no rules in this netns"}',
    ]);
    expect(ran.filter((command) => command.includes("-nft"))).toEqual(["/usr/sbin/iptables-nft-save"]);
    expect(ran.filter((command) => command.includes("-legacy"))).toHaveLength(8);
  });

  it("nft cannot even be read (RouterOS): it fails at the read, with its words", async () => {
    const { results, ran } = await run((argv) => (argv[0] === "/usr/sbin/iptables-nft-save" ? { code: 1, stderr: "iptables-nft-save v1.8.11 (nf_tables): Failed to initialize nft: Invalid argument\n" } : undefined));
    expect(results[2]).toBe('nft v4 {"kind":"fails","error":"iptables-nft-save v1.8.11 (nf_tables): Failed to initialize nft: Invalid argument","at":"read"}');
    expect(ran.filter((command) => command.includes("-nft"))).toEqual(["/usr/sbin/iptables-nft-save"]);
  });

  it("no nft in the image (tiny): nft missing, nothing of it run", async () => {
    const legacyOnly = Object.fromEntries(Object.entries(ALL_BINARIES).filter(([path]) => path.includes("legacy")));
    const { results, ran } = await run(() => undefined, legacyOnly);
    expect(results.slice(2)).toEqual(['nft v4 {"kind":"missing"}', 'nft v6 {"kind":"missing"}']);
    expect(ran.every((command) => command.includes("-legacy"))).toBe(true);
  });

  it("nft already holds rules here: it is written to as well, and legacy's rules counted, for the choice", async () => {
    const { results, ran } = await run((argv) => (argv[0] === "/usr/sbin/iptables-nft-save" ? save("-A DOCKER_OUTPUT -j DNAT\n") : argv[0] === "/usr/sbin/iptables-legacy-save" ? save("") : undefined));
    expect(results).toEqual([
      'legacy v4 {"kind":"works","rules":0}',
      'legacy v6 {"kind":"works","rules":0}',
      'nft v4 {"kind":"works","rules":1}',
      'nft v6 {"kind":"works","rules":0}',
    ]);
    expect(ran.filter((command) => command.startsWith("/usr/sbin/iptables-nft "))).toHaveLength(4);
    expect(ran).toContain("/usr/sbin/iptables-legacy-save");
  });

  it("legacy fails: nft is written to, to choose it", async () => {
    const { results } = await run((argv) => (argv[0] === "/usr/sbin/iptables-legacy" && argv.includes("-N") ? { code: 3, stderr: "iptables v1.8.11 (legacy): can't initialize iptables table `filter': Table does not exist\n" } : undefined));
    expect(results[0]).toBe('legacy v4 {"kind":"fails","error":"iptables v1.8.11 (legacy): can\'t initialize iptables table `filter\': Table does not exist","at":"chain"}');
    expect(results[2]).toBe('nft v4 {"kind":"works","rules":0}');
  });
});
