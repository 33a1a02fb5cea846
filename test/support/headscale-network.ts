// A Headscale in a network namespace of its own, shared by the tests of one file: made before them,
// stopped and removed after them (also when making it failed half-way).
import { afterAll, beforeAll } from "vitest";
import { createTestNetwork, startHeadscale, type Headscale } from "../lab/headscale.ts";

/** The namespace and its Headscale, as `receive` gets them before the first test. */
export interface HeadscaleNetwork {
  readonly network: Awaited<ReturnType<typeof createTestNetwork>>;
  readonly headscale: Headscale;
}

/** Registers the file's beforeAll/afterAll; the namespace is named `<prefix>-<pid>`. */
export function useHeadscaleNetwork(prefix: string, receive: (made: HeadscaleNetwork) => void): void {
  let network: HeadscaleNetwork["network"] | undefined;
  let headscale: Headscale | undefined;
  beforeAll(async () => {
    network = await createTestNetwork(`${prefix}-${process.pid}`);
    headscale = await startHeadscale(network.name);
    receive({ network, headscale });
  }, 60_000);
  afterAll(async () => {
    await headscale?.stop();
    await network?.remove();
  });
}
