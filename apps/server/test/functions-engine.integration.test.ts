import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startServer } from "../src/index.js";
import { crc64 } from "../src/observe/crc64.js";
import { rawExchange } from "./utils/raw.js";
import { spawnRealRedis, type Target, useTarget, withClients } from "./utils/target.js";

/**
 * Redis Functions beyond functions.tcl: DUMP payloads exchanged with the other server (a real
 * redis-server against nedis, and back), hand-built RESTORE payloads, name and flag spelling,
 * the run-time environment, RESP3 shapes and INFO counters.
 */

/** The target saves (DEBUG RELOAD) into a directory of its own, removed at the end. */
const startCwd = process.cwd();
const dataDir = mkdtempSync(join(tmpdir(), "nedis-functions-engine-"));
const target = useTarget([
  ["enable-debug-command", ["yes"]],
  ["dir", [dataDir]],
]);
afterAll(async () => {
  await target.stop();
  // An in-process nedis moved into its dir (CONFIG dir is a chdir, as in Redis).
  process.chdir(startCwd);
  rmSync(dataDir, { recursive: true, force: true });
});
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.call("FUNCTION", "FLUSH");
  await r.flushall();
});

const load = (code: string, ...options: string[]) => r.call("FUNCTION", "LOAD", ...options, code);

async function errorOf(reply: Promise<unknown>): Promise<string> {
  try {
    const value = await reply;
    return `no error: ${JSON.stringify(value)}`;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A FUNCTION DUMP payload around `records`: RDB version 10 and the CRC-64. */
function payloadOf(records: number[]): Buffer {
  const body = Buffer.from([...records, 10, 0]);
  return Buffer.concat([body, Buffer.from(crc64(body))]);
}

/** An RDB string: a 6- or 14-bit length and the bytes. */
function rdbString(text: string): number[] {
  const bytes = [...Buffer.from(text)];
  return bytes.length < 64 ? [bytes.length, ...bytes] : [0x40 | (bytes.length >> 8), bytes.length & 0xff, ...bytes];
}

/** FUNCTION LIST with each library's functions sorted by name (their order is a hash table's). */
async function sortedList(client: Redis, ...args: string[]): Promise<unknown> {
  const libraries = (await client.call("FUNCTION", "LIST", ...args)) as unknown[][];
  return libraries.map((library) =>
    library.map((field, i) =>
      library[i - 1] === "functions"
        ? [...(field as unknown[][])].sort((a, b) => String(a[1]).localeCompare(String(b[1])))
        : field,
    ),
  );
}

describe("against the other server (redis-server for nedis, nedis for redis-server)", () => {
  /** The other kind of server: a real redis-server when the target is nedis, else nedis. */
  let peer: Target;
  let p: Redis;
  beforeAll(async () => {
    if (target.kind === "nedis") {
      peer = await spawnRealRedis(
        [],
        [
          ["bind", ["127.0.0.1"]],
          ["save", [""]],
        ],
      );
    } else {
      const server = await startServer({
        anyPort: true,
        options: [
          ["bind", ["127.0.0.1"]],
          ["save", [""]],
        ],
      });
      const addr = server.addresses[0]!;
      peer = withClients("nedis", addr.host, addr.port, () => server.close());
    }
    p = peer.client();
  });
  afterAll(() => peer.stop());

  const code = [
    "#!lua name=mylib",
    "local function greet(name) return 'hello ' .. name end",
    "redis.register_function('greet', function(keys, args) return greet(args[1]) end)",
    "redis.register_function{function_name='incr_it', description='adds one', flags={'allow-oom'},",
    "  callback=function(keys, args) return redis.call('incr', keys[1]) end}",
  ].join("\n");

  it("both servers dump the same bytes, and each restores the other's payload", async () => {
    await p.call("FUNCTION", "FLUSH");
    await load(code);
    await p.call("FUNCTION", "LOAD", code);
    const ours = (await r.callBuffer("FUNCTION", "DUMP")) as Buffer;
    const theirs = (await p.callBuffer("FUNCTION", "DUMP")) as Buffer;
    expect(ours.toString("hex")).toBe(theirs.toString("hex"));

    await p.call("FUNCTION", "FLUSH");
    expect(await p.call("FUNCTION", "RESTORE", ours)).toBe("OK");
    expect(await p.call("FCALL", "greet", 0, "peer")).toBe("hello peer");
    await r.call("FUNCTION", "FLUSH");
    expect(await r.call("FUNCTION", "RESTORE", theirs)).toBe("OK");
    expect(await r.call("FCALL", "GREET", 0, "you")).toBe("hello you");
    expect(await r.call("FCALL", "incr_it", 1, "n")).toBe(1);
    expect(await sortedList(r, "WITHCODE")).toEqual(await sortedList(p, "WITHCODE"));
  });

  it("an empty library set dumps as the footer alone", async () => {
    await p.call("FUNCTION", "FLUSH");
    const ours = (await r.callBuffer("FUNCTION", "DUMP")) as Buffer;
    expect(ours.toString("hex")).toBe(((await p.callBuffer("FUNCTION", "DUMP")) as Buffer).toString("hex"));
    expect(ours.length).toBe(10);
  });

  /** A small deterministic generator (an LCG), so a failure replays. */
  function generator(seed: number): <T>(choices: readonly T[]) => T {
    let state = seed;
    return (choices) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return choices[state % choices.length]!;
    };
  }
  const both = async (...args: (string | number | Buffer)[]) =>
    Promise.all([r, p].map((c) => c.call(...(args as [string])).catch((err: Error) => `error: ${err.message}`)));

  it("random library codes load, fail and run alike", async () => {
    await p.call("FUNCTION", "FLUSH");
    const pick = generator(7);
    const headers = ["#!lua name=L", "#!lua name=M", "#!LUA name=L", "#!lua name=L x=1", "#!lua", "#!js name=L"];
    headers.push("#! name=L", "#!lua name=L name=M", '#!lua name="L"', "#!lua name=a-b", "#!lua   name=L  ");
    const statements = [
      "redis.register_function('f', function() return 1 end)",
      "redis.register_function('g', function(k, a) return #k + #a end)",
      "redis.register_function{function_name='h', callback=function() return 'h' end, flags={'no-writes'}}",
      "redis.register_function{function_name='i', callback=function() end, description='d', flags={'allow-oom', 'allow-stale'}}",
      "redis.register_function{function_name='bad', callback=1}",
      "redis.register_function{callback=function() end}",
      "redis.register_function{function_name='x', callback=function() end, flags={'nope'}}",
      "redis.register_function{function_name='x', callback=function() end, other=1}",
      "redis.register_function('f')",
      "redis.register_function(1, function() return 3 end)",
      "redis.register_function('a b', function() end)",
      "redis.register_function('f', function() return redis.call('set', 'k', 'v') end)",
      "redis.log(redis.LOG_WARNING, 'loading')",
      "redis.log('x')",
      "local t = {} t[1] = redis.REDIS_VERSION",
      "x = 1",
      "redis.call('ping')",
      "string.len('x')",
      "error('boom')",
      "if",
    ];
    for (let i = 0; i < 150; i++) {
      const code = [pick(headers), pick(statements), pick(statements), pick(statements)].join("\n");
      const load = await both("FUNCTION", "LOAD", ...pick([[], ["REPLACE"]]), code);
      expect(load[0], code).toEqual(load[1]);
      const stats = await both("FUNCTION", "STATS");
      expect(stats[0], code).toEqual(stats[1]);
      for (const fn of ["f", "g", "h", "i"]) {
        const calls = await both("FCALL", fn, 1, "k", "a");
        expect(calls[0], `${code}\nFCALL ${fn}`).toEqual(calls[1]);
      }
      if (pick([false, false, false, true])) await both("FUNCTION", "FLUSH");
    }
  });

  it("random FUNCTION RESTORE payloads are taken or refused alike", async () => {
    await Promise.all([r.call("FUNCTION", "FLUSH"), p.call("FUNCTION", "FLUSH")]);
    const pick = generator(42);
    const bytes = Array.from({ length: 256 }, (_, i) => i);
    const codes = [
      "#!lua name=a\nredis.register_function('f', function() return 1 end)",
      "#!lua name=b\nredis.register_function{function_name='g', callback=function() return 2 end}",
    ];
    for (let i = 0; i < 150; i++) {
      const records: number[] = [];
      for (let k = pick([0, 1, 1, 2]); k > 0; k--) {
        records.push(pick([245, 245, 245, 246, 0, 4]));
        let record = rdbString(pick(codes));
        if (pick([true, false])) record[pick(record.map((_, j) => j))] = pick(bytes);
        if (pick([false, false, true])) record = record.slice(0, pick(record.map((_, j) => j)));
        records.push(...record);
      }
      const payload = payloadOf(records);
      const restored = await both("FUNCTION", "RESTORE", payload, pick(["APPEND", "REPLACE", "FLUSH"]));
      expect(restored[0], payload.toString("hex")).toEqual(restored[1]);
      const listed = await Promise.all([sortedList(r, "WITHCODE"), sortedList(p, "WITHCODE")]);
      expect(listed[0], payload.toString("hex")).toEqual(listed[1]);
    }
  });
});

describe("FUNCTION RESTORE of hand-built payloads", () => {
  it("reads a 7.0 release-candidate record (name, engine, description, code)", async () => {
    const body = "redis.register_function('rc', function() return 'rc' end)";
    const payload = payloadOf([
      246,
      ...rdbString("rclib"),
      ...rdbString("LUA"),
      1,
      ...rdbString("d"),
      ...rdbString(body),
    ]);
    expect(await r.call("FUNCTION", "RESTORE", payload)).toBe("OK");
    expect(await r.call("FCALL", "rc", 0)).toBe("rc");
    expect(await r.call("FUNCTION", "LIST", "WITHCODE")).toEqual([
      [
        "library_name",
        "rclib",
        "engine",
        "LUA",
        "functions",
        [["name", "rc", "description", null, "flags", []]],
        "library_code",
        `#!LUA name=rclib\n${body}`,
      ],
    ]);
  });

  it("answers a bad record with Redis's error and restores nothing", async () => {
    const fn = "\nredis.register_function('f', function() return 1 end)";
    const cases: [number[], string][] = [
      [[0, ...rdbString("x")], "ERR given type is not a function"],
      [[245, 0x7f, 1, 2], "ERR Failed loading library payload"],
      [
        [245, ...rdbString("#!lua name=a\nbad code")],
        "ERR Error compiling function: user_function:2: '=' expected near 'code'",
      ],
      [[245, ...rdbString("return 1")], "ERR Missing library metadata"],
      [
        [245, ...rdbString(`#!lua name=a${fn}`), 245, ...rdbString(`#!lua name=a${fn}`)],
        "ERR Library 'a' already exists",
      ],
      [
        [245, ...rdbString(`#!lua name=a${fn}`), 245, ...rdbString(`#!lua name=b${fn}`)],
        "ERR Function f already exists",
      ],
    ];
    for (const [records, error] of cases) {
      expect(await errorOf(r.call("FUNCTION", "RESTORE", payloadOf(records))), error).toBe(error);
    }
    expect(await r.call("FUNCTION", "LIST")).toEqual([]);
  });

  it("keeps the current libraries when REPLACE fails on a function of another library", async () => {
    await load("#!lua name=keep\nredis.register_function('shared', function() return 'kept' end)");
    await load("#!lua name=lib\nredis.register_function('mine', function() return 'old' end)");
    const incoming = payloadOf([
      245,
      ...rdbString("#!lua name=lib\nredis.register_function('shared', function() return 'new' end)"),
    ]);
    expect(await errorOf(r.call("FUNCTION", "RESTORE", incoming, "REPLACE"))).toBe(
      "ERR Function shared already exists",
    );
    expect(await r.call("FCALL", "mine", 0)).toBe("old");
    expect(await r.call("FUNCTION", "RESTORE", incoming, "FLUSH")).toBe("OK");
    expect(await r.call("FCALL", "shared", 0)).toBe("new");
    expect(await errorOf(r.call("FCALL", "mine", 0))).toBe("ERR Function not found");
  });
});

describe("names, flags and the header", () => {
  it("matches engine, argument keys, flags and FCALL names without regard to case", async () => {
    const code =
      "#!LUA name=z\nredis.register_function{FUNCTION_NAME='g', CALLBACK=function() return 1 end, FLAGS={'NO-WRITES'}}";
    expect(await load(code)).toBe("z");
    expect(await r.call("FCALL_RO", "G", 0)).toBe(1);
    expect(await r.call("FUNCTION", "LIST", "LIBRARYNAME", "Z")).toEqual([
      ["library_name", "z", "engine", "LUA", "functions", [["name", "g", "description", null, "flags", ["no-writes"]]]],
    ]);
    // Library names are case-sensitive.
    expect(await errorOf(r.call("FUNCTION", "DELETE", "Z"))).toBe("ERR Library not found");
  });

  it("parses the header as Redis splits arguments", async () => {
    const fn = "\nredis.register_function('h', function() return 1 end)";
    expect(await load(`#!lua   name=spaced  ${fn}`)).toBe("spaced");
    expect(await errorOf(load("#!lua name=x"))).toBe("ERR Invalid library metadata");
    expect(await errorOf(load(`#!lua name="unbalanced${fn}`))).toBe("ERR Invalid library metadata");
    expect(await errorOf(load(`#!lua name="a b"${fn}`))).toBe(
      "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
    );
    expect(await errorOf(load(`#!lua NAME=x name=y${fn}`))).toBe(
      "ERR Invalid metadata value, name argument was given multiple times",
    );
    expect(await errorOf(load("#!lua name=x", "REPLACE", "REPLACE"))).toBe("ERR Invalid library metadata");
  });

  it("lists descriptions and every flag in Redis's order, as a RESP3 set", async () => {
    await load(
      "#!lua name=l\nredis.register_function{function_name='f', description='does f', callback=function() return 1 end, flags={'allow-stale', 'no-writes'}}",
    );
    const reply =
      "*1\r\n%3\r\n$12\r\nlibrary_name\r\n$1\r\nl\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n" +
      "%3\r\n$4\r\nname\r\n$1\r\nf\r\n$11\r\ndescription\r\n$6\r\ndoes f\r\n$5\r\nflags\r\n~2\r\n+no-writes\r\n+allow-stale\r\n";
    const input = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n*2\r\n$8\r\nFUNCTION\r\n$4\r\nLIST\r\n";
    const { text } = await rawExchange(target.port, input, { until: (t) => t.endsWith(reply), timeoutMs: 3000 });
    expect(text.slice(text.indexOf("*1\r\n%3"))).toBe(reply);
  });
});

describe("running functions", () => {
  it("passes keys and arguments as the callback's two arguments, not as globals", async () => {
    await load(
      "#!lua name=env\n" +
        "redis.register_function('both', function(keys, args) return {keys, args} end)\n" +
        "redis.register_function('globals', function() return KEYS end)\n" +
        "redis.register_function('debugger', function() return {redis.breakpoint == nil, redis.debug == nil} end)",
    );
    expect(await r.call("FCALL", "both", 2, "k1", "k2", "a1")).toEqual([["k1", "k2"], ["a1"]]);
    expect(await errorOf(r.call("FCALL", "globals", 0))).toBe(
      "ERR user_function:3: Script attempted to access nonexistent global variable 'KEYS' script: globals, on @user_function:3.",
    );
    expect(await r.call("FCALL", "debugger", 0)).toEqual([1, 1]);
  });

  it("checks numkeys even far outside 64 bits' safe range", async () => {
    await load("#!lua name=n\nredis.register_function('n', function() return 1 end)");
    expect(await errorOf(r.call("FCALL", "n", "9223372036854775807"))).toBe(
      "ERR Number of keys can't be greater than number of args",
    );
    expect(await errorOf(r.call("FCALL", "n", "-9223372036854775808"))).toBe("ERR Number of keys can't be negative");
    expect(await errorOf(r.call("FCALL", "n", "9223372036854775808"))).toBe("ERR Bad number of keys provided");
  });

  it("after a load timeout the engine loads and runs the next library", async () => {
    const code = "#!lua name=slow\nlocal n = 0\nwhile true do n = n + 1 end";
    expect(await errorOf(load(code))).toBe("ERR Error registering functions: ERR FUNCTION LOAD timeout");
    expect(await r.call("FUNCTION", "LIST")).toEqual([]);
    await load(
      "#!lua name=fast\nredis.register_function('loop', function() local n = 0 for i = 1, 3000000 do n = n + 1 end return n end)",
    );
    expect(await r.call("FCALL", "loop", 0)).toBe(3000000);
  });

  it("over maxmemory refuses a function that may write as Redis refuses a denyoom command", async () => {
    await load(
      "#!lua name=o\n" +
        "redis.register_function('w', function() return 1 end)\n" +
        "redis.register_function{function_name='ro', callback=function() return 2 end, flags={'no-writes'}}\n" +
        "redis.register_function{function_name='oom', callback=function() return 3 end, flags={'allow-oom'}}",
    );
    await r.call("CONFIG", "SET", "maxmemory", "1");
    try {
      expect(await errorOf(r.call("FCALL", "w", 0))).toBe("OOM command not allowed when used memory > 'maxmemory'.");
      expect(await errorOf(r.call("FCALL", "w", "x"))).toBe("OOM command not allowed when used memory > 'maxmemory'.");
      expect(await errorOf(r.call("FCALL", "nosuch", 0))).toBe("ERR Function not found");
      expect([
        await r.call("FCALL", "ro", 0),
        await r.call("FCALL_RO", "ro", 0),
        await r.call("FCALL", "oom", 0),
      ]).toEqual([2, 2, 3]);
    } finally {
      await r.call("CONFIG", "SET", "maxmemory", "0");
    }
  });

  it("a function that runs long is busy and FUNCTION KILL stops it, after other loads too", async () => {
    await load("#!lua name=quick\nredis.register_function('quick', function() return 1 end)");
    expect(await r.call("FCALL", "quick", 0)).toBe(1);
    // A load between two calls must leave the run's busy detection in place.
    await load(
      "#!lua name=spin\nredis.register_function('spin', function() local a = 1 while true do a = a + 1 end end)",
    );
    await r.call("CONFIG", "SET", "busy-reply-threshold", "100");
    const other = target.client();
    try {
      const pending = other.call("FCALL", "spin", 0).catch((err: Error) => err.message);
      let busy = "";
      for (let i = 0; i < 100 && !busy.startsWith("BUSY"); i++) {
        busy = await errorOf(r.ping());
        if (!busy.startsWith("BUSY")) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(busy).toBe("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
      expect(await r.call("FUNCTION", "KILL")).toBe("OK");
      expect(await pending).toMatch(
        /^ERR Script killed by user with SCRIPT KILL\.\.\. script: spin, on @user_function:2\.$/,
      );
    } finally {
      other.disconnect();
      await r.call("CONFIG", "SET", "busy-reply-threshold", "5000");
    }
  });

  it("a function's writes replicate as its commands; the load is a write", async () => {
    await load(
      "#!lua name=w\nredis.register_function('w', function(keys) redis.call('set', keys[1], 'v') return redis.call('get', keys[1]) end)",
    );
    expect(await r.call("FCALL", "w", 1, "key")).toBe("v");
    expect(await r.get("key")).toBe("v");
    expect(await errorOf(r.call("FCALL_RO", "w", 1, "key"))).toBe(
      "ERR Can not execute a script with write flag using *_ro command.",
    );
  });
});

describe("persistence", () => {
  const code =
    "#!lua name=kept\nredis.register_function{function_name='k', callback=function() return 'kept' end, flags={'no-writes'}}";

  it("DEBUG RELOAD saves the libraries in the RDB and loads them back", async () => {
    await load(code);
    await r.set("x", "1");
    expect(await r.call("DEBUG", "RELOAD")).toBe("OK");
    expect(await r.call("FCALL_RO", "k", 0)).toBe("kept");
    expect(await r.get("x")).toBe("1");
    expect(await r.call("FUNCTION", "STATS")).toEqual([
      "running_script",
      null,
      "engines",
      ["LUA", ["libraries_count", 1, "functions_count", 1]],
    ]);
  });

  it("an RDB file carries its libraries from one server to the other, both ways", async () => {
    const cwd = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), "nedis-functions-"));
    const options: [string, string[]][] = [
      ["bind", ["127.0.0.1"]],
      ["save", [""]],
      ["dir", [dir]],
      ["dbfilename", ["functions.rdb"]],
    ];
    const startNedis = async () => {
      const server = await startServer({ anyPort: true, options: [...options, ["loglevel", ["warning"]]] });
      const addr = server.addresses[0]!;
      return withClients("nedis", addr.host, addr.port, () => server.close());
    };
    const startRedis = () => spawnRealRedis([], options);
    try {
      for (const [writer, reader] of [
        [startRedis, startNedis],
        [startNedis, startRedis],
      ] as const) {
        const first = await writer();
        try {
          const c = first.client();
          await c.call("FUNCTION", "FLUSH");
          await c.call("FUNCTION", "LOAD", code);
          expect(await c.call("SAVE")).toBe("OK");
        } finally {
          await first.stop();
        }
        const second = await reader();
        try {
          expect(await second.client().call("FCALL_RO", "k", 0), first.kind).toBe("kept");
        } finally {
          await second.stop();
        }
      }
    } finally {
      // An in-process nedis moved into `dir` (CONFIG dir is a chdir, as in Redis).
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("AOF", () => {
  const library = (name: string) =>
    `#!lua name=${name}\nredis.register_function('${name}_f', function() return '${name}' end)`;

  /** Waits (bounded) for a BGREWRITEAOF to finish. */
  async function rewriteDone(c: Redis): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const info = (await c.info("persistence")) as string;
      if (info.includes("aof_rewrite_in_progress:0") && info.includes("aof_rewrite_scheduled:0")) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("BGREWRITEAOF did not finish");
  }

  it.each(["yes", "no"])(
    "an AOF carries libraries in its base and its commands, between servers (aof-use-rdb-preamble %s)",
    async (preamble) => {
      const cwd = process.cwd();
      const dir = mkdtempSync(join(tmpdir(), "nedis-functions-aof-"));
      const options: [string, string[]][] = [
        ["bind", ["127.0.0.1"]],
        ["save", [""]],
        ["dir", [dir]],
        ["appendonly", ["yes"]],
        ["aof-use-rdb-preamble", [preamble]],
      ];
      const startNedis = async () => {
        const server = await startServer({ anyPort: true, options: [...options, ["loglevel", ["warning"]]] });
        const addr = server.addresses[0]!;
        return withClients("nedis", addr.host, addr.port, () => server.close());
      };
      const startRedis = () => spawnRealRedis([], options);
      try {
        for (const [writer, reader] of [
          [startRedis, startNedis],
          [startNedis, startRedis],
        ] as const) {
          rmSync(join(dir, "appendonlydir"), { recursive: true, force: true });
          const first = await writer();
          try {
            const c = first.client();
            await c.call("FUNCTION", "LOAD", library("inbase"));
            await c.call("BGREWRITEAOF");
            await rewriteDone(c);
            await c.call("FUNCTION", "LOAD", library("inincr"));
          } finally {
            await first.stop();
          }
          const second = await reader();
          try {
            const c = second.client();
            expect([await c.call("FCALL", "inbase_f", 0), await c.call("FCALL", "inincr_f", 0)], first.kind).toEqual([
              "inbase",
              "inincr",
            ]);
          } finally {
            await second.stop();
          }
        }
      } finally {
        // An in-process nedis moved into `dir` (CONFIG dir is a chdir, as in Redis).
        process.chdir(cwd);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("INFO", () => {
  it("counts functions and libraries", async () => {
    const counts = async () => {
      const info = (await r.info("memory")) as string;
      const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1]);
      return [field("number_of_functions"), field("number_of_libraries"), field("used_memory_vm_functions") > 0];
    };
    await load(
      "#!lua name=a\nredis.register_function('a1', function() return 1 end)\nredis.register_function('a2', function() return 1 end)",
    );
    await load("#!lua name=b\nredis.register_function('b1', function() return 1 end)");
    expect(await counts()).toEqual([3, 2, true]);
    await r.call("FUNCTION", "DELETE", "a");
    expect(await counts()).toEqual([1, 1, true]);
  });
});
