/**
 * Runs the same Lua code in our VM and through EVAL on a real Redis 7.0, for differential tests of
 * the libraries Redis embeds. Code should return a string (Redis turns Lua numbers into integers
 * and stops a table at its first nil) and catch its own errors with pcall, so both sides answer
 * with plain bytes to compare.
 */
import type { RedisServer, Reply } from "../../../../test-support/redisServer.js";
import { LuaStatus, LuaVM } from "../../src/index.js";

export { hasRedisServer, startRedis } from "../../../../test-support/redisServer.js";

/** A VM with the standard libraries Redis opens (base, table, string, math) and then `libraries`. */
export function newScriptVM(...libraries: ((vm: LuaVM) => void)[]): LuaVM {
  const vm = new LuaVM();
  vm.openLibrary((L) => vm.x.luaopen_base(L), "");
  vm.openLibrary((L) => vm.x.luaopen_table(L), "table");
  vm.openLibrary((L) => vm.x.luaopen_string(L), "string");
  vm.openLibrary((L) => vm.x.luaopen_math(L), "math");
  for (const open of libraries) open(vm);
  return vm;
}

/**
 * Runs `code` as Redis runs a script body (chunk "@user_script") and returns its first result as
 * bytes, or "ERR: <message>" when it raised an error; the stack is left empty.
 */
export function runScript(vm: LuaVM, code: string | Uint8Array): Buffer {
  const L = vm.L;
  const bytes = typeof code === "string" ? Buffer.from(code, "latin1") : code;
  const loaded = vm.load(L, bytes, "@user_script");
  const status = loaded !== LuaStatus.Ok ? loaded : vm.x.lua_pcall(L, 0, 1, 0);
  const result = vm.toBuffer(L, -1) ?? Buffer.from(`(${vm.cString(vm.x.lua_typename(L, vm.x.lua_type(L, -1)))})`);
  vm.x.lua_settop(L, 0);
  return status === LuaStatus.Ok ? result : Buffer.concat([Buffer.from("ERR: "), result]);
}

/** The same on Redis: the script's reply as bytes, or "ERR: <message>" for an error reply. */
export async function evalOnRedis(server: RedisServer, code: string | Uint8Array): Promise<Buffer> {
  return replyBytes(await server.call("EVAL", code, "0"));
}

function replyBytes(reply: Reply): Buffer {
  if (reply instanceof Error) return Buffer.from(`ERR: ${reply.message}`);
  if (Buffer.isBuffer(reply)) return reply;
  if (reply === null) return Buffer.from("(nil)");
  if (typeof reply === "number") return Buffer.from(String(reply));
  return Buffer.from(`[${reply.map((r) => replyBytes(r).toString("latin1")).join(",")}]`);
}

/** Runs every script on both sides; returns [code, ours, redis] for each, in order. */
export async function runBoth(
  vm: LuaVM,
  server: RedisServer,
  scripts: string[],
): Promise<{ code: string; ours: string; redis: string }[]> {
  const redisReplies = await Promise.all(scripts.map((code) => evalOnRedis(server, code)));
  return scripts.map((code, i) => ({
    code,
    ours: runScript(vm, code).toString("latin1"),
    redis: redisReplies[i]!.toString("latin1"),
  }));
}

/** Lua source for a string literal holding exactly `bytes` (every byte escaped as \ddd). */
export function luaStringLiteral(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) out += `\\${b}`;
  return `${out}"`;
}
