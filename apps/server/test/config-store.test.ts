import { describe, expect, it } from "vitest";
import { ConfigError, ConfigStore } from "../src/config/ConfigStore.js";
import { matchConfigNames } from "../src/config/configGet.js";
import { configSet } from "../src/config/configSet.js";
import { applyConfigText } from "../src/config/loadConfig.js";
import { CONFIG_OPTIONS } from "../src/config/options.js";

/** What Redis 7.0.15 lists for `CONFIG GET *` (names only; aliases included). */
const REDIS_CONFIG_GET_ALL_COUNT = 192;

describe("the option table", () => {
  it("has every option CONFIG GET * lists in Redis 7.0.15, and its hidden ones", () => {
    const store = new ConfigStore();
    expect(store.names.filter((n) => !n.option.hidden && !n.option.nedisOnly)).toHaveLength(REDIS_CONFIG_GET_ALL_COUNT);
    expect(
      store.names
        .filter((n) => n.option.hidden)
        .map((n) => n.name)
        .sort(),
    ).toEqual([
      "key-load-delay",
      "loading-process-events-interval-bytes",
      "rdb-key-save-delay",
      "use-exit-on-panic",
      "watchdog-period",
    ]);
  });

  it("prints Redis's defaults", () => {
    const store = new ConfigStore();
    const get = (name: string) => store.format(store.lookup(name)!);
    expect(get("save")).toBe("3600 1 300 100 60 10000");
    // nedis defaults to redis.conf's loopback bind, not the compiled-in "* -::*".
    expect(get("bind")).toBe("127.0.0.1 -::1");
    expect(get("client-output-buffer-limit")).toBe(
      "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    );
    expect(get("oom-score-adj-values")).toBe("0 200 800");
    expect(get("latency-tracking-info-percentiles")).toBe("50 99 99.9");
    expect(get("proto-max-bulk-len")).toBe("536870912");
    expect(get("list-max-ziplist-size")).toBe("-2");
    expect(get("replicaof")).toBe("");
    expect(get("dir")).toBe(process.cwd());
  });

  it("keeps the getters other code reads", () => {
    const store = new ConfigStore();
    expect(store.number("maxclients")).toBe(10000);
    expect(store.string("maxmemory-policy")).toBe("noeviction");
    expect(store.bool("protected-mode")).toBe(true);
    expect(store.list("bind")).toEqual(["127.0.0.1", "-::1"]);
    expect(store.get<number>("lua-time-limit")).toBe(5000);
  });

  it("declares each name once", () => {
    const names = CONFIG_OPTIONS.flatMap((o) => [o.name, ...(o.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("config file semantics (ConfigStore.set)", () => {
  it("splits a multi-word option given as one quoted word", () => {
    const store = new ConfigStore();
    applyConfigText(store, 'save "100 1 200 2"\nbind "127.0.0.1 ::1"\n');
    expect(store.format(store.lookup("save")!)).toBe("100 1 200 2");
    expect(store.list("bind")).toEqual(["127.0.0.1", "::1"]);
  });

  it('adds save lines up, and save "" clears them', () => {
    const store = new ConfigStore();
    store.set("save", ["100", "1"]);
    store.set("save", ["200", "2"]);
    expect(store.format(store.lookup("save")!)).toBe("100 1 200 2");
    store.set("save", [""]);
    store.set("save", ["300", "3"]);
    expect(store.format(store.lookup("save")!)).toBe("300 3");
  });

  it("wants exactly one word for single-word options", () => {
    const store = new ConfigStore();
    expect(() => store.set("maxmemory", ["1", "2"])).toThrow(new ConfigError("maxmemory", "wrong number of arguments"));
    expect(() => store.set("nosuch", ["1"])).toThrow("Bad directive or wrong number of arguments");
  });

  it("ignores the directives Redis 7.0 deprecated", () => {
    const store = new ConfigStore();
    expect(() => applyConfigText(store, "list-max-ziplist-entries 512\nlua-replicate-commands yes\n")).not.toThrow();
  });

  it("sets through an alias and notifies listeners of the option", () => {
    const store = new ConfigStore();
    const seen: unknown[] = [];
    store.onChange("lua-time-limit", (v) => void seen.push(v));
    store.set("LUA-TIME-LIMIT", ["6000"]);
    expect(store.number("busy-reply-threshold")).toBe(6000);
    expect(seen).toEqual([6000]);
  });
});

describe("CONFIG SET semantics (configSet)", () => {
  it("applies several values at once", () => {
    const store = new ConfigStore();
    expect(
      configSet(
        store,
        [
          ["maxmemory", "10mb"],
          ["maxmemory-policy", "ALLKEYS-LRU"],
        ],
        false,
      ),
    ).toBeNull();
    expect(store.number("maxmemory")).toBe(10485760);
    expect(store.string("maxmemory-policy")).toBe("allkeys-lru");
  });

  it("applies none when one value is invalid", () => {
    const store = new ConfigStore();
    expect(
      configSet(
        store,
        [
          ["maxmemory", "10mb"],
          ["hz", "abc"],
        ],
        false,
      ),
    ).toBe("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
    expect(store.number("maxmemory")).toBe(0);
  });

  it("reports unknown names first, then immutable, protected and duplicate ones, in argument order", () => {
    const store = new ConfigStore();
    expect(
      configSet(
        store,
        [
          ["maxmemory", "1"],
          ["nosuch", "1"],
        ],
        false,
      ),
    ).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(
      configSet(
        store,
        [
          ["DAEMONIZE", "yes"],
          ["nosuch", "1"],
        ],
        false,
      ),
    ).toBe("ERR CONFIG SET failed (possibly related to argument 'DAEMONIZE') - can't set immutable config");
    expect(configSet(store, [["dir", "/"]], true)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
    );
    expect(
      configSet(
        store,
        [
          ["maxmemory", "1"],
          ["MAXMEMORY", "2"],
        ],
        false,
      ),
    ).toBe("ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter");
    // A name and its alias are two names to Redis: the last one wins.
    expect(
      configSet(
        store,
        [
          ["lua-time-limit", "5000"],
          ["busy-reply-threshold", "6000"],
        ],
        false,
      ),
    ).toBeNull();
    expect(store.number("busy-reply-threshold")).toBe(6000);
  });

  it("lets local clients set protected options when enable-protected-configs is local", () => {
    const store = new ConfigStore();
    store.set("enable-protected-configs", ["local"]);
    expect(configSet(store, [["dbfilename", "a.rdb"]], false)).toMatch(/can't set protected config/);
    expect(configSet(store, [["dbfilename", "a.rdb"]], true)).toBeNull();
    expect(configSet(store, [["dbfilename", "a/b.rdb"]], true)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename",
    );
  });

  it("rolls every value back when a listener refuses one", () => {
    const store = new ConfigStore();
    const seen: unknown[] = [];
    store.onChange("maxmemory", (v) => void seen.push(v));
    store.onChange("port", (v) => (v === 1 ? "Unable to listen on this port. Check server logs." : undefined));
    expect(
      configSet(
        store,
        [
          ["maxmemory", "1mb"],
          ["port", "1"],
        ],
        false,
      ),
    ).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.",
    );
    expect(store.number("maxmemory")).toBe(0);
    expect(store.number("port")).toBe(6379);
    expect(seen).toEqual([1048576, 0]);
  });

  it("runs the reset hooks of CONFIG RESETSTAT", () => {
    const store = new ConfigStore();
    let resets = 0;
    store.onResetStats(() => resets++);
    store.onResetStats(() => resets++);
    store.resetStats();
    expect(resets).toBe(2);
  });
});

describe("CONFIG GET matching (matchConfigNames)", () => {
  const store = new ConfigStore();
  const names = (...patterns: string[]) => matchConfigNames(store, patterns).map(([n]) => n);

  it("answers an exact name under the name as given, and hidden options only so", () => {
    expect(names("MAXMEMORY")).toEqual(["MAXMEMORY"]);
    expect(names("use-exit-on-panic")).toEqual(["use-exit-on-panic"]);
    expect(names("use-exit*")).toEqual([]);
  });

  it("matches names and aliases case-insensitively, each once", () => {
    expect(names("Port", "po*")).toEqual(["Port"]);
    expect(names("maxmemory", "maxmemory", "maxmemory*").sort()).toEqual([
      "maxmemory",
      "maxmemory-clients",
      "maxmemory-eviction-tenacity",
      "maxmemory-policy",
      "maxmemory-samples",
    ]);
    expect(names("*ZIPLIST*").sort()).toEqual([
      "hash-max-ziplist-entries",
      "hash-max-ziplist-value",
      "list-max-ziplist-size",
      "zset-max-ziplist-entries",
      "zset-max-ziplist-value",
    ]);
    expect(names("replicaof", "slaveof")).toEqual(["replicaof", "slaveof"]);
  });
});
