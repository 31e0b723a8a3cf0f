import { LuaType, type LuaVM } from "@nedis/lua";
import type { ReplyWriter } from "@nedis/resp-codec";

const CR_OR_LF = /[\r\n]/g;
const LLONG_MIN = -(2n ** 63n);

/**
 * Redis's `luaReplyToRedisReply`: writes the Lua value on top of `L` as the script's reply and
 * pops it. Numbers truncate to integers; `false` is a null (RESP2 scripts) or a boolean; tables
 * are `{err=…}`, `{ok=…}`, `{double=…}`, `{big_number=…}`, `{verbatim_string=…}`, `{map=…}`,
 * `{set=…}`, or arrays up to their first nil. `scriptResp` is the protocol the script chose
 * with `redis.setresp`.
 */
export function writeLuaReply(vm: LuaVM, L: number, w: ReplyWriter, scriptResp: 2 | 3): void {
  const x = vm.x;
  if (x.lua_checkstack(L, 4) === 0) {
    w.error("ERR reached lua stack limit");
    x.lua_settop(L, -2);
    return;
  }
  switch (x.lua_type(L, -1)) {
    case LuaType.String: {
      const bytes = vm.bytesView(L, -1)!;
      w.bulk(bytes, 0, bytes.length);
      break;
    }
    case LuaType.Boolean:
      if (scriptResp === 2) {
        if (x.lua_toboolean(L, -1) !== 0) w.integer(1);
        else w.nullBulk();
      } else w.boolean(x.lua_toboolean(L, -1) !== 0);
      break;
    case LuaType.Number:
      writeTruncated(w, x.lua_tonumber(L, -1));
      break;
    case LuaType.Table:
      if (writeSpecialTable(vm, L, w, scriptResp)) return;
      writeArray(vm, L, w, scriptResp);
      break;
    default:
      w.nullBulk();
  }
  x.lua_settop(L, -2);
}

/** `(long long)` of a double, as x86-64 converts it (out of range → LLONG_MIN). */
function writeTruncated(w: ReplyWriter, n: number): void {
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) w.integer(t);
  else if (Number.isFinite(t) && t >= -(2 ** 63) && t < 2 ** 63) w.bigInteger(BigInt(t));
  else w.bigInteger(LLONG_MIN);
}

/** A field of the table on top, as a string or null (rawget, as Redis). */
function rawField(vm: LuaVM, L: number, name: string, type: number): boolean {
  vm.pushString(L, name);
  vm.x.lua_rawget(L, -2);
  if (vm.x.lua_type(L, -1) === type) return true;
  vm.x.lua_settop(L, -2);
  return false;
}

/** The one-field tables; true when the table was written (and popped). */
function writeSpecialTable(vm: LuaVM, L: number, w: ReplyWriter, scriptResp: 2 | 3): boolean {
  const x = vm.x;
  if (rawField(vm, L, "err", LuaType.String)) {
    w.error(vm.toLatin1(L, -1));
    x.lua_settop(L, -3);
    return true;
  }
  if (rawField(vm, L, "ok", LuaType.String)) {
    w.simple(vm.toLatin1(L, -1).replace(CR_OR_LF, " "));
    x.lua_settop(L, -3);
    return true;
  }
  if (rawField(vm, L, "double", LuaType.Number)) {
    w.double(x.lua_tonumber(L, -1));
    x.lua_settop(L, -3);
    return true;
  }
  if (rawField(vm, L, "big_number", LuaType.String)) {
    w.bigNumber(vm.toLatin1(L, -1).replace(CR_OR_LF, " "));
    x.lua_settop(L, -3);
    return true;
  }
  if (rawField(vm, L, "verbatim_string", LuaType.Table)) {
    if (rawField(vm, L, "format", LuaType.String)) {
      const format = vm.toLatin1(L, -1);
      vm.pushString(L, "string");
      x.lua_rawget(L, -3);
      if (x.lua_type(L, -1) === LuaType.String) {
        w.verbatim(vm.toLatin1(L, -1), format);
        x.lua_settop(L, -5);
        return true;
      }
      x.lua_settop(L, -3);
    }
    x.lua_settop(L, -2);
  }
  if (rawField(vm, L, "map", LuaType.Table)) {
    const token = w.deferLength();
    let pairs = 0;
    x.lua_pushnil(L);
    while (x.lua_next(L, -2) !== 0) {
      x.lua_pushvalue(L, -2);
      writeLuaReply(vm, L, w, scriptResp);
      writeLuaReply(vm, L, w, scriptResp);
      pairs++;
    }
    w.setDeferredMapLength(token, pairs);
    x.lua_settop(L, -3);
    return true;
  }
  if (rawField(vm, L, "set", LuaType.Table)) {
    const token = w.deferLength();
    let count = 0;
    x.lua_pushnil(L);
    while (x.lua_next(L, -2) !== 0) {
      x.lua_settop(L, -2);
      x.lua_pushvalue(L, -1);
      writeLuaReply(vm, L, w, scriptResp);
      count++;
    }
    w.setDeferredSetLength(token, count);
    x.lua_settop(L, -3);
    return true;
  }
  return false;
}

function writeArray(vm: LuaVM, L: number, w: ReplyWriter, scriptResp: 2 | 3): void {
  const x = vm.x;
  const token = w.deferLength();
  let count = 0;
  for (let j = 1; ; j++) {
    x.lua_rawgeti(L, -1, j);
    if (x.lua_type(L, -1) === LuaType.Nil) {
      x.lua_settop(L, -2);
      break;
    }
    writeLuaReply(vm, L, w, scriptResp);
    count++;
  }
  w.setDeferredArrayLength(token, count);
}
