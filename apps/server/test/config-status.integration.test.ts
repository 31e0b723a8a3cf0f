import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/**
 * What a client sees of options nedis does not support yet: CONFIG GET answers the default,
 * CONFIG SET of the default is fine, any other value is refused naming the option (nedis only:
 * Redis supports them). The parts that hold on Redis too run on both targets.
 */
const target = useTarget();
const notNedis = process.env.NEDIS_TEST_TARGET === "redis" || process.env.NEDIS_TEST_URL !== undefined;

describe("options nedis does not support yet", () => {
  it("CONFIG GET answers their defaults; CONFIG SET of the default is accepted", async () => {
    const c = target.client();
    // Redis answers several options in its dict's order: compared as pairs.
    const pairs = (await c.call("CONFIG", "GET", "repl-timeout", "cluster-node-timeout")) as string[];
    expect(Object.fromEntries([0, 2].map((i) => [pairs[i], pairs[i + 1]]))).toEqual({
      "repl-timeout": "60",
      "cluster-node-timeout": "15000",
    });
    expect(await c.call("CONFIG", "SET", "repl-timeout", "60", "maxmemory-clients", "0")).toBe("OK");
    // Redis's own checks come first.
    await expect(c.call("CONFIG", "SET", "repl-timeout", "0")).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive",
    );
  });

  it.skipIf(notNedis)("CONFIG SET of another value is refused, naming the option (nedis only)", async () => {
    const c = target.client();
    await expect(c.call("CONFIG", "SET", "maxmemory", "10mb", "repl-timeout", "30")).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - repl-timeout is not supported by nedis yet (only '60' is accepted)",
    );
    await expect(c.call("CONFIG", "SET", "maxmemory-clients", "10%")).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - maxmemory-clients is not supported by nedis yet (only '0' is accepted)",
    );
    expect(await c.call("CONFIG", "GET", "maxmemory", "repl-timeout", "maxmemory-clients")).toEqual([
      "maxmemory",
      "0",
      "repl-timeout",
      "60",
      "maxmemory-clients",
      "0",
    ]);
  });

  it.skipIf(notNedis)("strict-config is answered by name only, never by CONFIG GET * (nedis only)", async () => {
    const c = target.client();
    expect(await c.call("CONFIG", "GET", "strict-config")).toEqual(["strict-config", "yes"]);
    expect(await c.call("CONFIG", "GET", "strict*")).toEqual([]);
  });
});
