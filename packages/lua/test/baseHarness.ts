/**
 * Differential testing of Redis's Lua libraries: the same Lua code runs in our VM and through
 * EVAL on a real redis-server, and the results must be byte-identical. Cases are batched into one
 * script each (results joined with NUL) so thousands of cases cost a few round trips.
 */

import type { RedisServer } from "../../../test-support/redisServer.js";
import { LuaStatus, type LuaVM } from "../src/index.js";

export { newScriptVM } from "./support/luaHarness.js";

/** Runs `code` as Redis's `@user_script` and returns its string result, or "ERR <message>". */
export function runInVM(vm: LuaVM, code: string): Buffer {
  const L = vm.L;
  const loaded = vm.load(L, Buffer.from(code, "latin1"), "@user_script");
  const status = loaded !== LuaStatus.Ok ? loaded : vm.x.lua_pcall(L, 0, 1, 0);
  const out = vm.toBuffer(L, -1) ?? Buffer.alloc(0);
  vm.x.lua_settop(L, 0);
  return status === LuaStatus.Ok ? out : Buffer.concat([Buffer.from("ERR "), out]);
}

/** `hex(s)`: a string's bytes in hex (built without string.format); `show(...)`: values, exactly. */
const PRELUDE = `local HEX = {} for i = 0, 255 do local d = '0123456789abcdef' HEX[i] = d:sub(math.floor(i / 16) + 1, math.floor(i / 16) + 1) .. d:sub(i % 16 + 1, i % 16 + 1) end
local function hex(s) local t = {} for i = 1, #s do t[i] = HEX[s:byte(i)] end return table.concat(t) end
local function show(...) local t = {} for i = 1, select('#', ...) do local v = select(i, ...) t[i] = type(v) == 'string' and ('s:' .. hex(v)) or (type(v) == 'number' and string.format('%.17g', v) or tostring(v)) end return table.concat(t, ',') end`;

/**
 * Wraps each expression-returning body in its own pcall: the case yields "true <tostring(result)>"
 * or "false <error>", so errors are compared as well as values.
 */
export function batchScript(bodies: readonly string[]): string {
  const cases = bodies.map(
    (body) => `do local ok, r = pcall(function() ${body} end) out[#out + 1] = tostring(ok) .. ' ' .. tostring(r) end`,
  );
  return `${PRELUDE}\nlocal out = {}\n${cases.join("\n")}\nreturn table.concat(out, '\\0')`;
}

/** Cases per script: Lua 5.1 allows 32767 local variable records per function, 2 a case here. */
const BATCH = 4000;

/** Runs the cases in both and returns [ours, redis] per case, for `expect(...).toEqual`. */
export async function runBoth(
  vm: LuaVM,
  redis: RedisServer,
  bodies: readonly string[],
): Promise<{ ours: string[]; theirs: string[] }> {
  const ours: string[] = [];
  const theirs: string[] = [];
  const split = (b: Buffer): string[] => b.toString("latin1").split("\0");
  for (let i = 0; i < bodies.length; i += BATCH) {
    const script = batchScript(bodies.slice(i, i + BATCH));
    ours.push(...split(runInVM(vm, script)));
    const reply = await redis.call("EVAL", Buffer.from(script, "latin1"), "0");
    if (!Buffer.isBuffer(reply)) throw new Error(`redis: ${String(reply)}`);
    theirs.push(...split(reply));
  }
  return { ours, theirs };
}

/** Pairs each case with its results, so a mismatch names the case. */
export async function compareWithRedis(vm: LuaVM, redis: RedisServer, bodies: readonly string[]) {
  const { ours, theirs } = await runBoth(vm, redis, bodies);
  return {
    ours: bodies.map((b, i) => `${b} => ${ours[i]}`),
    theirs: bodies.map((b, i) => `${b} => ${theirs[i]}`),
  };
}

/** A Lua literal for a double, exact (hex-free: %.17g round-trips) and with inf/nan spelled out. */
export function luaNumber(d: number): string {
  if (Number.isNaN(d)) return "(0/0)";
  if (d === Number.POSITIVE_INFINITY) return "(1/0)";
  if (d === Number.NEGATIVE_INFINITY) return "(-1/0)";
  if (Object.is(d, -0)) return "(-0)";
  return `(${d.toPrecision(17)})`;
}
