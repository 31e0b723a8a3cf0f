import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError, ConfigStore } from "../src/config/ConfigStore.js";
import { configSet } from "../src/config/configSet.js";
import { applyConfigText, applyStrictConfigFirst } from "../src/config/loadConfig.js";
import { CONFIG_OPTIONS } from "../src/config/options.js";
import { spawnRealRedis } from "./utils/target.js";

/**
 * Every option is honest (issue 24): each one of the table declares whether nedis acts on it,
 * and the table is complete against a real Redis 7.0.15's `CONFIG GET *`.
 */
const redisBin = process.env.REDIS_SERVER_BIN ?? "redis-server";
const haveRedis = spawnSync(redisBin, ["--version"]).status === 0;

/** Redis options deliberately left out of the table (none today; each would need a reason here). */
const OMITTED_ON_PURPOSE: readonly string[] = [];

describe("the config table against Redis 7.0.15", () => {
  it.skipIf(!haveRedis)("has every option CONFIG GET * lists in Redis, and nothing Redis lacks", async () => {
    const redis = await spawnRealRedis([], [["save", [""]]]);
    try {
      const c = redis.client();
      const reply = (await c.call("CONFIG", "GET", "*")) as string[];
      const redisNames = reply.filter((_, i) => i % 2 === 0).sort();
      const ours = new ConfigStore().names
        .filter((n) => !n.option.hidden && !n.option.nedisOnly)
        .map((n) => n.name)
        .sort();
      expect(ours).toEqual(redisNames.filter((n) => !OMITTED_ON_PURPOSE.includes(n)));
      // Hidden options are Redis's too: it answers them by exact name.
      for (const opt of CONFIG_OPTIONS.filter((o) => o.hidden)) {
        expect(await c.call("CONFIG", "GET", opt.name)).toEqual([opt.name, expect.any(String)]);
      }
    } finally {
      await redis.stop();
    }
  });

  it("gives every option a status, and nedis's own options are marked", () => {
    for (const opt of CONFIG_OPTIONS) {
      expect([opt.name, ["implemented", "inert", "not yet supported"].includes(opt.status.kind)]).toEqual([
        opt.name,
        true,
      ]);
      // Each "off" value parses and is accepted.
      const store = new ConfigStore();
      if (opt.status.kind === "not yet supported") {
        for (const off of opt.status.off) expect(() => store.set(opt.name, [off])).not.toThrow();
      }
    }
    expect(CONFIG_OPTIONS.filter((o) => o.nedisOnly).map((o) => o.name)).toEqual(["strict-config"]);
  });
});

describe("not-yet-supported options (nedis only)", () => {
  it("CONFIG SET refuses anything but the default, naming the option, and keeps the value", () => {
    const store = new ConfigStore();
    expect(configSet(store, [["repl-timeout", "30"]], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - repl-timeout is not supported by nedis yet (only '60' is accepted)",
    );
    expect(store.format(store.lookup("repl-timeout")!)).toBe("60");
    // The default is accepted, through an alias too; Redis's own checks come first.
    expect(configSet(store, [["repl-timeout", "60"]], false)).toBeNull();
    expect(configSet(store, [["slave-serve-stale-data", "YES"]], false)).toBeNull();
    expect(configSet(store, [["repl-timeout", "0"]], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive",
    );
    // Atomic: nothing of a CONFIG SET with one refused value is applied.
    expect(
      configSet(
        store,
        [
          ["maxmemory", "1mb"],
          ["cluster-node-timeout", "1000"],
        ],
        false,
      ),
    ).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'cluster-node-timeout') - cluster-node-timeout is not supported by nedis yet (only '15000' is accepted)",
    );
    expect(store.number("maxmemory")).toBe(0);
  });

  it("inert options take any valid value", () => {
    const store = new ConfigStore();
    expect(configSet(store, [["activerehashing", "no"]], false)).toBeNull();
    expect(store.format(store.lookup("activerehashing")!)).toBe("no");
  });

  it("a config line with another value is fatal by default, naming the option", () => {
    const store = new ConfigStore();
    let error: unknown;
    try {
      applyConfigText(store, "port 7000\ncluster-enabled yes\n");
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      lineNumber: 2,
      line: "cluster-enabled yes",
      reason:
        "cluster-enabled is not supported by nedis yet (only 'no' is accepted). Start with --strict-config no to ignore such values.",
    });
    expect(() => store.set("io-threads", ["4"])).toThrow(ConfigError);
  });

  it("strict-config no (anywhere in the file) turns refusals into warnings and keeps the default", () => {
    const store = new ConfigStore();
    const text = "cluster-enabled yes\nreplicaof 10.0.0.1 6379\nrepl-timeout 60\nio-threads 4\nstrict-config no\n";
    applyStrictConfigFirst(store, text);
    applyConfigText(store, text);
    expect(store.format(store.lookup("cluster-enabled")!)).toBe("no");
    expect(store.format(store.lookup("replicaof")!)).toBe("");
    expect(store.format(store.lookup("io-threads")!)).toBe("1");
    expect(store.startupWarnings).toEqual([
      "Ignoring 'cluster-enabled yes' (strict-config no): cluster-enabled is not supported by nedis yet (only 'no' is accepted)",
      "Ignoring 'replicaof 10.0.0.1 6379' (strict-config no): replicaof is not supported by nedis yet (only 'no one' is accepted)",
      "'repl-timeout 60': repl-timeout is not supported by nedis yet; this value is its default (or means off), so nothing is lost",
      "Ignoring 'io-threads 4' (strict-config no): io-threads is not supported by nedis yet (only '1' is accepted)",
    ]);
  });

  it("strict-config itself is startup-only and not listed by CONFIG GET *", () => {
    const store = new ConfigStore();
    expect(configSet(store, [["strict-config", "no"]], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'strict-config') - can't set immutable config",
    );
  });
});
