import { LuaType, type LuaVM } from "@nedis/lua";
import type { ReplyWriter } from "@nedis/resp-codec";

const CR_OR_LF = /[\r\n]/g;
const LLONG_MIN = -(2n ** 63n);

/** A table being written: an array (next index), or a map/set walked with lua_next. */
const Walk = { Array: 0, MapKey: 1, MapValue: 2, Set: 3 } as const;

/**
 * Redis's `luaReplyToRedisReply`: writes the Lua value on top of `L` as the script's reply and
 * pops it. Numbers truncate to integers; `false` is a null (RESP2 scripts) or a boolean; tables
 * are `{err=…}`, `{ok=…}`, `{double=…}`, `{big_number=…}`, `{verbatim_string=…}`, `{map=…}`,
 * `{set=…}`, or arrays up to their first nil. `scriptResp` is the protocol the script chose
 * with `redis.setresp`. Redis recurses; this walks with its own stack, so a self-referencing
 * table stops where Lua's stack does ("reached lua stack limit", ~8,000 levels), not at the
 * JS stack's depth.
 */
export function writeLuaReply(vm: LuaVM, L: number, w: ReplyWriter, scriptResp: 2 | 3): void {
  const x = vm.x;
  // The usual reply, a number on a stack the caller gave room: no walk, no stack check.
  if (x.lua_type(L, -1) === LuaType.Number) {
    writeTruncated(w, x.lua_tonumber(L, -1));
    x.lua_settop(L, -2);
    return;
  }
  // Per open table: its walk kind, deferred-length token, element count, next array index.
  const kinds: number[] = [];
  const tokens: number[] = [];
  const counts: number[] = [];
  const indexes: number[] = [];
  let value = true;
  for (;;) {
    if (value) {
      value = false;
      if (writeScalarOrSpecial(vm, L, w, scriptResp)) {
        // Written and popped: fall through to continue the enclosing table.
      } else if (rawField(vm, L, "map", LuaType.Table)) {
        kinds.push(Walk.MapKey);
        tokens.push(w.deferLength());
        counts.push(0);
        indexes.push(0);
        x.lua_pushnil(L);
      } else if (rawField(vm, L, "set", LuaType.Table)) {
        kinds.push(Walk.Set);
        tokens.push(w.deferLength());
        counts.push(0);
        indexes.push(0);
        x.lua_pushnil(L);
      } else {
        kinds.push(Walk.Array);
        tokens.push(w.deferLength());
        counts.push(0);
        indexes.push(1);
      }
    }
    const depth = kinds.length - 1;
    if (depth < 0) return;
    const kind = kinds[depth]!;
    if (kind === Walk.Array) {
      x.lua_rawgeti(L, -1, indexes[depth]!++);
      if (x.lua_type(L, -1) !== LuaType.Nil) {
        counts[depth]!++;
        value = true;
        continue;
      }
      x.lua_settop(L, -3);
      w.setDeferredArrayLength(tokens.pop()!, counts.pop()!);
    } else if (kind === Walk.MapValue) {
      // The key was written; its value is on top, the key below it.
      kinds[depth] = Walk.MapKey;
      value = true;
      continue;
    } else if (x.lua_next(L, -2) !== 0) {
      counts[depth]!++;
      // A set's value (true) is dropped; a map's key is written first, then its value.
      if (kind === Walk.Set) {
        x.lua_settop(L, -2);
        x.lua_pushvalue(L, -1);
      } else {
        kinds[depth] = Walk.MapValue;
        x.lua_pushvalue(L, -2);
      }
      value = true;
      continue;
    } else {
      // Pops the inner table and the one holding it under "map"/"set".
      x.lua_settop(L, -3);
      if (kind === Walk.Set) w.setDeferredSetLength(tokens.pop()!, counts.pop()!);
      else w.setDeferredMapLength(tokens.pop()!, counts.pop()!);
    }
    kinds.pop();
    indexes.pop();
  }
}

/**
 * Writes and pops the value on top when it is not an aggregate: a scalar, one of the
 * one-field tables, or anything when the Lua stack is full. Returns false for an array, map or
 * set table (left on the stack).
 */
function writeScalarOrSpecial(vm: LuaVM, L: number, w: ReplyWriter, scriptResp: 2 | 3): boolean {
  const x = vm.x;
  if (x.lua_checkstack(L, 4) === 0) {
    w.error("ERR reached lua stack limit");
    x.lua_settop(L, -2);
    return true;
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
      return writeSpecialTable(vm, L, w);
    default:
      w.nullBulk();
  }
  x.lua_settop(L, -2);
  return true;
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
function writeSpecialTable(vm: LuaVM, L: number, w: ReplyWriter): boolean {
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
  return false;
}
