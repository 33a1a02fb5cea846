// Issue 18 item 1: a flag or variable whose feature the image's tailscaled lacks is refused (exit 78)
// naming the feature and the build that has it; with the feature, or with a tailscaled of unknown
// build (no features file beside it), the same configuration is accepted.
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/core/run.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

/** The standard and tiny images' set (docker/pins.env TAILSCALE_FEATURES, resolved by featuretags). */
export const STANDARD_FEATURES = "advertiseexitnode advertiseroutes c2n cli dns gro health ipnbus iptables listenrawdisco netstack oauthkey osrouter peerapiclient peerapiserver portmapper unixsocketidentity useexitnode useroutes".split(" ");

async function config(env: Record<string, string>, features: readonly string[] | undefined) {
  const files: Record<string, string | { kind: "file"; mode: number }> = { "/usr/local/bin/tailscaled": { kind: "file", mode: 0o755 } };
  if (features !== undefined) files["/usr/local/bin/tailscaled.features"] = `# tailscale v1.102.3: the features compiled into tailscaled (docker/build-tailscaled.sh)\n${features.join("\n")}\n`;
  const host = createFakeHost({ argv: ["config"], env: { PATH: "/usr/local/bin:/usr/bin:/bin", ...env }, files });
  const outcome = await host.drive(runCli(host));
  return { exitCode: outcome.exitCode, stderr: host.stderr() };
}

describe("the image's feature set", () => {
  it.each([
    [{ TS_EXTRA_ARGS: "--ssh" }, "TS_EXTRA_ARGS", "--ssh", "ssh"],
    [{ TAILSCALE_ARGS: "--advertise-connector" }, "TAILSCALE_ARGS", "--advertise-connector", "appconnectors"],
    [{ TS_EXTRA_ARGS: "--advertise-tags=tag:x --client-id=abc --audience=x" }, "TS_EXTRA_ARGS", "--client-id", "identityfederation"],
    [{ TS_EXTRA_ARGS: "--report-posture" }, "TS_EXTRA_ARGS", "--report-posture", "posture"],
    [{ TS_TAILSCALED_EXTRA_ARGS: "--socks5-server=localhost:1080" }, "TS_TAILSCALED_EXTRA_ARGS", "--socks5-server", "outboundproxy"],
    [{ TAILSCALED_ARGS: "--outbound-http-proxy-listen localhost:8080" }, "TAILSCALED_ARGS", "--outbound-http-proxy-listen", "outboundproxy"],
    [{ TS_SOCKS5_SERVER: "localhost:1080" }, "TS_SOCKS5_SERVER", "TS_SOCKS5_SERVER", "outboundproxy"],
    [{ TS_SERVE_CONFIG: "/serve.json" }, "TS_SERVE_CONFIG", "TS_SERVE_CONFIG", "serve"],
  ])("%j: refused naming %s, %s and the feature %s", async (env, variable, what, feature) => {
    const standard = await config(env, STANDARD_FEATURES);
    expect(standard.exitCode).toBe(78);
    expect(standard.stderr).toContain(`variable=${variable}`);
    expect(standard.stderr).toContain(`problem="${what} needs Tailscale's \\"${feature}\\" feature, which /usr/local/bin/tailscaled was built without`);
    expect(standard.stderr).toContain(`npm run image -- --features +${feature}`);
    // The same with the feature built in, or with a tailscaled of unknown build: no such problem.
    for (const features of [[...STANDARD_FEATURES, feature], undefined]) expect((await config(env, features)).stderr).not.toContain("was built without");
  });

  it("what the standard set has passes: routes, exit node, accept-routes, DNS, userspace", async () => {
    const result = await config({ TS_ROUTES: "10.0.0.0/24", TS_ACCEPT_DNS: "true", TS_USERSPACE: "true", TS_EXTRA_ARGS: "--advertise-exit-node --accept-routes --exit-node=100.64.0.9 --ssh=false" }, STANDARD_FEATURES);
    expect(result.exitCode).toBe(0);
  });

  it("a set without netstack refuses TS_USERSPACE=true, one without advertiseroutes refuses TS_ROUTES", async () => {
    const result = await config({ TS_USERSPACE: "true", TS_ROUTES: "10.0.0.0/24" }, STANDARD_FEATURES.filter((name) => name !== "netstack" && name !== "advertiseroutes"));
    expect(result.exitCode).toBe(78);
    expect(result.stderr).toContain('userspace networking needs Tailscale\'s \\"netstack\\" feature');
    expect(result.stderr).toContain('advertised routes needs Tailscale\'s \\"advertiseroutes\\" feature');
  });
});

describe("tailscaled's extra flags", () => {
  it.each([
    ["--verbose=1 --no-logs-no-support", undefined],
    ["--bogus=1", "--bogus is not a flag of tailscaled v1.102.3"],
    ["--tun=userspace-networking", "--tun cannot be given here: the supervisor sets it itself"],
    ["--socket /tmp/x.sock", "--socket cannot be given here"],
    ["--config=/etc/ts.json", "--config cannot be given here: the supervisor writes tailscaled's config file itself"],
    ["--cleanup", "--cleanup cannot be given here: tailscaled would clean up and exit"],
    ["stray", "stray is not a flag (tailscaled takes no other arguments and would exit)"],
    ["--verbose", "--verbose needs a value"],
  ])("%s: %s", async (args, problem) => {
    const result = await config({ TS_TAILSCALED_EXTRA_ARGS: args }, undefined);
    if (problem === undefined) expect(result.exitCode).toBe(0);
    else {
      expect(result.exitCode).toBe(78);
      expect(result.stderr).toContain(problem);
    }
  });
});
