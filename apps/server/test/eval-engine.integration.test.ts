import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/** The EVAL engine end to end (the scripting/ suites hold Redis's own cases). */
describe("EVAL runs Lua with Redis's conversions and errors", () => {
  const target = useTarget();

  it("converts replies both ways and runs commands through redis.call", async () => {
    const r = target.client();
    expect(await r.call("EVAL", "return {1, 2, 3, 'ciao', {1, 2}}", "0")).toEqual([1, 2, 3, "ciao", [1, 2]]);
    expect(await r.call("EVAL", "return {1, 2, nil, 4}", "0")).toEqual([1, 2]);
    expect(await r.call("EVAL", "return -3.99", "0")).toBe(-3);
    expect(await r.call("EVAL", "return {ok = 'fine'}", "0")).toBe("fine");
    expect(await r.call("EVAL", "return false", "0")).toBeNull();
    expect(await r.call("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "ek", "v")).toBe("OK");
    expect(await r.call("EVAL", "return redis.call('get', KEYS[1])", "1", "ek")).toBe("v");
    expect(await r.call("EVAL", "return redis.call('get', 'missing-key')", "0")).toBeNull();
    // A pcall'd error comes back as the script's error reply, without a script location.
    await expect(r.call("EVAL", "return redis.pcall('incr', KEYS[1])", "1", "ek")).rejects.toThrow(
      /^ERR value is not an integer or out of range$/,
    );
  });

  it("answers Redis's errors, with the script's SHA1 and line", async () => {
    const r = target.client();
    await expect(r.call("EVAL", "return redis.call('nosuch')", "0")).rejects.toThrow(
      "ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.",
    );
    await expect(r.call("EVAL", "\nreturn a", "0")).rejects.toThrow(
      "ERR user_script:2: Script attempted to access nonexistent global variable 'a' script:",
    );
    await expect(r.call("EVAL", "a = 10", "0")).rejects.toThrow("Attempt to modify a readonly table");
    await expect(r.call("EVAL", "return (1", "0")).rejects.toThrow(
      "ERR Error compiling script (new function): user_script:1: ')' expected near '<eof>'",
    );
    await expect(r.call("EVAL", "return 1", "2", "a")).rejects.toThrow(
      "ERR Number of keys can't be greater than number of args",
    );
    await expect(r.call("EVAL", "return 1", "-1")).rejects.toThrow("ERR Number of keys can't be negative");
    await expect(r.call("EVAL_RO", "return redis.call('set', 'a', 'b')", "0")).rejects.toThrow(
      "ERR Write commands are not allowed from read-only scripts. script:",
    );
    await expect(r.call("EVAL", "return redis.call('subscribe', 'x')", "0")).rejects.toThrow(
      "ERR This Redis command is not allowed from script script:",
    );
  });

  it("caches scripts by SHA1 for EVALSHA and SCRIPT EXISTS until SCRIPT FLUSH", async () => {
    const r = target.client();
    const sha = await r.call("SCRIPT", "LOAD", "return 'hello'");
    expect(sha).toBe("1b936e3fe509bcbc9cd0664897bbe8fd0cac101b");
    expect(await r.call("EVALSHA", "1B936E3FE509BCBC9CD0664897BBE8FD0CAC101B", "0")).toBe("hello");
    expect(await r.call("SCRIPT", "EXISTS", sha as string, "ffff")).toEqual([1, 0]);
    expect(await r.call("SCRIPT", "FLUSH")).toBe("OK");
    await expect(r.call("EVALSHA", sha as string, "0")).rejects.toThrow(
      "NOSCRIPT No matching script. Please use EVAL.",
    );
  });

  it("shows EVAL in MONITOR before the script's commands, which come from `lua`", async () => {
    const r = target.client();
    const monitor = await target.client().monitor();
    const seen: string[] = [];
    monitor.on("monitor", (_time: string, args: string[], source: string) => seen.push(`${source} ${args.join(" ")}`));
    await r.call("EVAL", "redis.call('set', 'mk', '1') return redis.call('get', 'mk')", "0");
    await r.call("PING");
    for (let i = 0; i < 50 && !seen.some((l) => l.endsWith("PING")); i++) await new Promise((f) => setTimeout(f, 20));
    await monitor.disconnect();
    const lines = seen.map((l) => l.replace(/^\S+:\d+ /, "client "));
    expect(lines).toEqual([
      "client EVAL redis.call('set', 'mk', '1') return redis.call('get', 'mk') 0",
      "lua set mk 1",
      "lua get mk",
      "client PING",
    ]);
  });

  // Where the wasm Lua hits a limit of its host (the JS stack, under a pattern match Redis's
  // native Lua finishes), the script fails with Redis's "Error running script" and the engine
  // goes on. Redis itself answers this one, so only nedis is asked.
  it.skipIf(process.env.NEDIS_TEST_TARGET === "redis" || process.env.NEDIS_TEST_URL)(
    "a host limit hit inside Lua fails the script, not the server",
    async () => {
      const r = target.client();
      const deep = "return string.find(string.rep('a', 20000), string.rep('a?', 20000))";
      await expect(r.call("EVAL", deep, "0")).rejects.toThrow(/^ERR .*Maximum call stack size exceeded/);
      expect(await r.call("EVAL", "return redis.call('ping')", "0")).toBe("PONG");
      expect(await r.call("EVAL", "return {1, 2}", "0")).toEqual([1, 2]);
    },
  );
});
