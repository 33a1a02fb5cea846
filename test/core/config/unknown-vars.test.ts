// Warnings for variables that look meant for us but are not known: typos (the nearest known name),
// names of the official image this one does not implement, and names passed through to tailscale.
import { describe, expect, it } from "vitest";
import { editDistance, findUnknownVariables } from "../../../src/core/config/unknown-vars.ts";

describe("findUnknownVariables", () => {
  it.each([
    ["TS_ROUTESS", "did you mean TS_ROUTES?"],
    ["TS_AUTHKYE", "did you mean TS_AUTHKEY?"],
    ["TS_HOSTNAM", "did you mean TS_HOSTNAME?"],
    ["TS_XYZZY_PLUGH", "remove it, or see the README for the supported variables"],
  ])("%s: not known, %s", (name, fix) => {
    expect(findUnknownVariables({ [name]: "x" })).toEqual([{ variable: name, problem: "is not a known variable and is ignored", fix }]);
  });

  it.each([
    ["TS_SOCKS5_SERVER", "add --socks5-server=ADDR:PORT to TS_TAILSCALED_EXTRA_ARGS, in an image built with the outboundproxy feature (npm run image -- --features +outboundproxy)"],
    ["TS_OUTBOUND_HTTP_PROXY_LISTEN", "add --outbound-http-proxy-listen=ADDR:PORT to TS_TAILSCALED_EXTRA_ARGS, in an image built with the outboundproxy feature (npm run image -- --features +outboundproxy)"],
    ["TS_SERVE_CONFIG", "run `tailscale serve --bg ...` from RUNNING_SCRIPT, in an image built with the serve feature (npm run image -- --features +serve)"],
    ["TS_DEST_IP", "not available in this image"],
    ["TS_KUBE_SECRET", "not available in this image (Kubernetes only)"],
  ])("%s: not supported here, %s", (name, fix) => {
    expect(findUnknownVariables({ [name]: "x" })).toEqual([{ variable: name, problem: "is not supported by this image and is ignored", fix }]);
  });

  it.each([
    ["AUTHKEY", "AUTH_KEY"],
    ["AUTH_KEX", "AUTH_KEY"],
    ["AUTH__KEY", "AUTH_KEY"],
    ["LOGINSERVER", "LOGIN_SERVER"],
    ["TAILSCALE_ARG", "TAILSCALE_ARGS"],
    ["TAILSCALE_ARGSX", "TAILSCALE_ARGS"],
  ])("%s, one edit from one of ours: did you mean %s?", (name, known) => {
    expect(findUnknownVariables({ [name]: "x" })).toEqual([{ variable: name, problem: "is not a known variable and is ignored", fix: `did you mean ${known}?` }]);
  });

  it.each(["TS_AUTHKEY", "AUTH_KEY", "TS_DEBUG_FIREWALL_MODE", "TS_LOG_VERBOSITY", "TS_NO_LOGS_NO_SUPPORT", "TS_PERMIT_CERT_UID", "TS_NETSTACK_X", "TS_BE_CLI", "PATH", "HOME", "HOSTNAME", "TERM", "AUTH_KEYS_DIR", "ROUTES", "AUTHKE", "LOGIN"])("%s is not warned about", (name) => {
    expect(findUnknownVariables({ [name]: "x" })).toEqual([]);
  });

  it("lists the warnings by name", () => {
    expect(findUnknownVariables({ TS_ZZZ_UNKNOWN: "", TS_AAA_UNKNOWN: "", TS_MMM_UNKNOWN: "" }).map((warning) => warning.variable)).toEqual(["TS_AAA_UNKNOWN", "TS_MMM_UNKNOWN", "TS_ZZZ_UNKNOWN"]);
  });

  it("suggests names for the first 50 unknown TS_ names only; the rest are still warned about", () => {
    const env = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`TS_ROUTES${String(index).padStart(2, "0")}`, "x"]));
    const fixes = findUnknownVariables(env).map((warning) => warning.fix);
    expect(fixes).toHaveLength(60);
    expect(fixes.filter((fix) => fix === "did you mean TS_ROUTES?")).toHaveLength(50);
  });
});

describe("editDistance (bounded)", () => {
  it.each([
    ["TS_ROUTES", "TS_ROUTES", 0],
    ["TS_ROUTESS", "TS_ROUTES", 1],
    ["TS_AUTHKYE", "TS_AUTHKEY", 2],
    ["kitten", "sitting", 3],
    ["TS_HOSTNAME", "TS_PORT", 6],
    ["", "abc", 3],
    ["abc", "", 3],
  ])("%s → %s: %i (or limit + 1 beyond it)", (a, b, distance) => {
    expect(editDistance(a, b, 3)).toBe(Math.min(distance, 4));
    expect(editDistance(a, b, 10)).toBe(distance);
    expect(editDistance(b, a, 10)).toBe(distance);
  });

  it("does not compare a 16,000-character name letter by letter", () => {
    expect(editDistance(`TS_${"A".repeat(16_000)}`, "TS_ROUTES", 3)).toBe(4);
  });
});
