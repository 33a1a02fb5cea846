// Issue 18 item 5: the one list of what each kind of child gets of the container's environment, and
// no secret in any of it.
import { describe, expect, it } from "vitest";
import { buildChildEnvironments } from "../../../../src/core/config/secrets/child-environments.ts";

const KEY = "0123456789abcdef0123456789abcdef0123456789abcdef";
const ENV = {
  PATH: "/usr/local/bin:/bin",
  HOME: "/root",
  TS_DEBUG_FIREWALL_MODE: "iptables",
  TS_AUTHKEY: KEY,
  TS_ROUTES: "10.0.0.0/24",
  TS_EXTRA_ARGS: "--advertise-tags=tag:x --id-token=eyJTOKENSECRET",
  MY_BACKUP: `authkey=${KEY}`,
  PROXY_URL: "http://user:p4ssw0rd@proxy:3128",
  COPY: KEY,
};

describe("buildChildEnvironments", () => {
  const { tailscale, hook, probe } = buildChildEnvironments(ENV, [KEY, "eyJTOKENSECRET"]);

  it("tailscaled and the CLI: the container's without our variables and without any value holding a secret", () => {
    expect(tailscale).toEqual({ PATH: "/usr/local/bin:/bin", HOME: "/root", TS_DEBUG_FIREWALL_MODE: "iptables" });
  });

  it("hooks: without the key variables, every other value with its secrets redacted", () => {
    expect(hook).toEqual({
      PATH: "/usr/local/bin:/bin",
      HOME: "/root",
      TS_DEBUG_FIREWALL_MODE: "iptables",
      TS_ROUTES: "10.0.0.0/24",
      TS_EXTRA_ARGS: "--advertise-tags=tag:x --id-token=[REDACTED]",
      MY_BACKUP: "authkey=[REDACTED]",
      PROXY_URL: "http://[REDACTED]@proxy:3128",
      COPY: "[REDACTED]",
    });
  });

  it("probes: PATH only (the image's default when there is none)", () => {
    expect(probe).toEqual({ PATH: "/usr/local/bin:/bin" });
    expect(buildChildEnvironments({}, []).probe).toEqual({ PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" });
  });
});
