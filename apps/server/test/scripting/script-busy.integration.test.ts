import type { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { startTarget, useTarget } from "../utils/target.js";
import { encodeCommand, errorOf, evalErrorSuffix, fcallErrorSuffix, libraryCode, waitUntil } from "./scripting.js";

/**
 * Scripts that run past busy-reply-threshold: other clients get BUSY, SCRIPT KILL / FUNCTION KILL
 * stop them, and a script that wrote cannot be killed. Every wait is bounded; afterEach kills
 * whatever still runs so the tests stay independent.
 */

const BUSY_THRESHOLD = [["busy-reply-threshold", ["100"]]] as [string, string[]][];
const target = useTarget(BUSY_THRESHOLD);
let r: Redis;
beforeAll(async () => {
  r = target.client();
  await r.call("FUNCTION", "LOAD", "REPLACE", libraryCode("loop", "loop", "local a = 1 while true do a = a + 1 end"));
});

const SCRIPT_BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
const FUNCTION_BUSY = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
const LOOP = "local a = 1 while true do a = a + 1 end";

/** Starts a command on its own connection; resolves to its reply or its error message, never rejects. */
function runOnOwnClient(...args: (string | number)[]): Promise<unknown> {
  const [command, ...rest] = args;
  return target
    .client()
    .call(String(command), ...rest)
    .catch((err: Error) => err.message);
}

/** Waits until PING from `client` gets a BUSY reply, and returns that reply. */
async function busyReply(client: Redis): Promise<string> {
  let reply = "";
  await waitUntil(
    async () => {
      reply = await client.ping().catch((err: Error) => err.message);
      return reply.startsWith("BUSY");
    },
    5000,
    "the script to be reported busy",
  );
  return reply;
}

afterEach(async () => {
  // A failed test may leave a script running: kill it so the next test starts idle.
  await waitUntil(
    async () => {
      const pong = await r.ping().catch(async () => {
        await r.call("SCRIPT", "KILL").catch(() => undefined);
        await r.call("FUNCTION", "KILL").catch(() => undefined);
        return "busy";
      });
      return pong === "PONG";
    },
    5000,
    "the server to be idle",
  );
});

describe("busy scripts", () => {
  it("other clients get BUSY; SCRIPT KILL stops the script and its client gets the error", async () => {
    const reply = runOnOwnClient("EVAL", LOOP, 0);
    expect(await busyReply(r)).toBe(SCRIPT_BUSY);
    expect(await errorOf(r.get("x"))).toBe(SCRIPT_BUSY);
    expect(await r.call("SCRIPT", "KILL")).toBe("OK");
    expect(await reply).toBe(`ERR Script killed by user with SCRIPT KILL...${evalErrorSuffix(LOOP)}`);
    expect(await r.ping()).toBe("PONG");
  });

  it("SCRIPT KILL works on a script that keeps catching errors with pcall", async () => {
    const body = "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end";
    const reply = runOnOwnClient("EVAL", body, 0);
    await busyReply(r);
    expect(await r.call("SCRIPT", "KILL")).toBe("OK");
    expect(await reply).toBe(`ERR Script killed by user with SCRIPT KILL...${evalErrorSuffix(body)}`);
  });

  it("SCRIPT KILL works on a script that keeps catching errors with xpcall", async () => {
    const body =
      "local f = function() while 1 do redis.call('ping') end end while 1 do xpcall(f, function(e) return e end) end";
    const reply = runOnOwnClient("EVAL", body, 0);
    expect(await busyReply(r)).toBe(SCRIPT_BUSY);
    expect(await r.call("SCRIPT", "KILL")).toBe("OK");
    expect(await reply).toBe(`ERR Script killed by user with SCRIPT KILL...${evalErrorSuffix(body)}`);
  });

  it("a pcall or xpcall that caught the kill returns it when no script line follows (Redis raises it per line)", async () => {
    const caught = "return {pcall(function() while true do end end)}";
    let reply = runOnOwnClient("EVAL", caught, 0);
    await busyReply(r);
    expect(await r.call("SCRIPT", "KILL")).toBe("OK");
    expect(await reply).toEqual([null, "ERR Script killed by user with SCRIPT KILL..."]);
    // The handler runs unhooked, as Lua runs it inside the hook that raised the error.
    const handled = "return {xpcall(function() while true do end end, function(e) return 'h:' .. e.err end)}";
    reply = runOnOwnClient("EVAL", handled, 0);
    await busyReply(r);
    expect(await r.call("SCRIPT", "KILL")).toBe("OK");
    expect(await reply).toEqual([null, "h:ERR Script killed by user with SCRIPT KILL..."]);
  });

  it("the killed script's connection goes on to serve its pipelined commands", async () => {
    const body = "while 1 do redis.call('ping') end";
    const pipelined = rawExchange(target.port, encodeCommand(["EVAL", body, 0]) + encodeCommand(["PING"]), {
      until: (t) => t.endsWith("+PONG\r\n"),
      timeoutMs: 8000,
    });
    await busyReply(r);
    await r.call("SCRIPT", "KILL");
    expect((await pipelined).text).toBe(
      `-ERR Script killed by user with SCRIPT KILL...${evalErrorSuffix(body)}\r\n+PONG\r\n`,
    );
  });

  it("a function is killed by FUNCTION KILL, not SCRIPT KILL; FUNCTION STATS shows it running", async () => {
    const reply = runOnOwnClient("FCALL", "loop", 0);
    expect(await busyReply(r)).toBe(FUNCTION_BUSY);
    expect(await errorOf(r.call("SCRIPT", "KILL"))).toBe(FUNCTION_BUSY);
    const stats = (await r.call("FUNCTION", "STATS")) as unknown[];
    // The command is shown as the client sent it.
    expect(stats.slice(0, 2)).toEqual([
      "running_script",
      ["name", "loop", "command", ["FCALL", "loop", "0"], "duration_ms", expect.any(Number)],
    ]);
    expect(await r.call("FUNCTION", "KILL")).toBe("OK");
    // Redis names SCRIPT KILL in the killed function's error too.
    expect(await reply).toBe(`ERR Script killed by user with SCRIPT KILL...${fcallErrorSuffix("loop", 3)}`);
  });

  it("an EVAL script is killed by SCRIPT KILL, not FUNCTION KILL", async () => {
    const reply = runOnOwnClient("EVAL", LOOP, 0);
    await busyReply(r);
    expect(await errorOf(r.call("FUNCTION", "KILL"))).toBe(SCRIPT_BUSY);
    expect(await errorOf(r.call("FUNCTION", "STATS"))).toBe(SCRIPT_BUSY);
    expect(await r.call("SCRIPT", "KILL")).toBe("OK");
    expect(await reply).toBe(`ERR Script killed by user with SCRIPT KILL...${evalErrorSuffix(LOOP)}`);
  });

  it("while busy, AUTH, MULTI and DISCARD answer; other commands get BUSY", async () => {
    const reply = runOnOwnClient("EVAL", LOOP, 0);
    await busyReply(r);
    const expected =
      "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n" +
      `+OK\r\n-${SCRIPT_BUSY}\r\n-${SCRIPT_BUSY}\r\n+OK\r\n-${SCRIPT_BUSY}\r\n-${SCRIPT_BUSY}\r\n`;
    const { text } = await rawExchange(
      target.port,
      [
        ["AUTH", "x"],
        ["MULTI"],
        ["SET", "a", "1"],
        ["INFO", "server"],
        ["DISCARD"],
        ["SCRIPT", "EXISTS", "a"],
        ["CLIENT", "SETNAME", "x"],
      ]
        .map(encodeCommand)
        .join(""),
      { until: (t) => t.length >= expected.length, timeoutMs: 3000 },
    );
    expect(text).toBe(expected);
    await r.call("SCRIPT", "KILL");
    await reply;
  });

  it("a script that runs past the threshold but ends leaves its connection usable", async () => {
    const c = target.client();
    expect(await c.call("EVAL", "for i=1,300000 do redis.call('ping') end return 'ok'", 0)).toBe("ok");
    expect(await c.ping()).toBe("PONG");
  });

  it("SCRIPT KILL and FUNCTION KILL with nothing running reply NOTBUSY", async () => {
    expect(await errorOf(r.call("SCRIPT", "KILL"))).toBe("NOTBUSY No scripts in execution right now.");
    expect(await errorOf(r.call("FUNCTION", "KILL"))).toBe("NOTBUSY No scripts in execution right now.");
  });
});

describe("a busy script that wrote", () => {
  it("cannot be killed: UNKILLABLE, still BUSY, and only SHUTDOWN NOSAVE ends it", async () => {
    // Its own server: the only way out is to shut that server down.
    const own = await startTarget(BUSY_THRESHOLD);
    try {
      const runner = own.client({ retryStrategy: () => null });
      const reply = runner
        .call("EVAL", "redis.call('set',KEYS[1],'y'); while true do end", 1, "x")
        .catch((err: Error) => err.message);
      const other = own.client({ retryStrategy: () => null });
      expect(await busyReply(other)).toBe(SCRIPT_BUSY);
      expect(await errorOf(other.call("SCRIPT", "KILL"))).toBe(
        "UNKILLABLE Sorry the script already executed write commands against the dataset. " +
          "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
      );
      expect(await errorOf(other.ping())).toBe(SCRIPT_BUSY);
      const { closed } = await rawExchange(own.port, "SHUTDOWN NOSAVE\r\n", { timeoutMs: 5000 });
      expect(closed).toBe(true);
      expect(typeof (await reply)).toBe("string");
    } finally {
      await own.stop();
    }
  });
});
