import type { LuaVM } from "@nedis/lua";

const CR = 0x0d;

/**
 * Redis's `redisProtocolToLuaType`: pushes the RESP2/RESP3 reply at `pos` in `buf` onto `L` as
 * the Lua value a script receives from `redis.call`, and returns the position after it.
 * Errors become `{err=…}` tables marked `ignore_error_stats_update` (the error was counted when
 * the command replied it); attributes are skipped.
 */
export function pushReplyAsLua(vm: LuaVM, L: number, buf: Uint8Array, pos: number): number {
  const x = vm.x;
  const type = buf[pos]!;
  const lineEnd = buf.indexOf(CR, pos + 1);
  const next = lineEnd + 2;
  // A C function has LUA_MINSTACK free slots: a scalar fits; each aggregate level asks for more.
  if (type === 0x2a || type === 0x25 || type === 0x7e) x.lua_checkstack(L, 6);
  switch (type) {
    case 0x2b: // + status
      x.lua_createtable(L, 0, 1);
      vm.pushBytes(L, buf, pos + 1, lineEnd - pos - 1);
      vm.setField(L, -2, "ok");
      return next;
    case 0x2d: // - error
      pushErrorTable(vm, L, `-${latin1(buf, pos + 1, lineEnd)}`);
      x.lua_pushboolean(L, 1);
      vm.setField(L, -2, "ignore_error_stats_update");
      return next;
    case 0x3a: // : integer
      x.lua_pushnumber(L, parseIntAt(buf, pos + 1, lineEnd));
      return next;
    case 0x24: {
      // $ bulk
      const len = parseIntAt(buf, pos + 1, lineEnd);
      if (len < 0) {
        x.lua_pushboolean(L, 0);
        return next;
      }
      vm.pushBytes(L, buf, next, len);
      return next + len + 2;
    }
    case 0x2a: {
      // * array
      const n = parseIntAt(buf, pos + 1, lineEnd);
      if (n < 0) {
        x.lua_pushboolean(L, 0);
        return next;
      }
      x.lua_createtable(L, n, 0);
      let at = next;
      for (let i = 1; i <= n; i++) {
        at = pushReplyAsLua(vm, L, buf, at);
        x.lua_rawseti(L, -2, i);
      }
      return at;
    }
    case 0x25: // % map
    case 0x7e: {
      // ~ set
      const n = parseIntAt(buf, pos + 1, lineEnd);
      x.lua_createtable(L, 0, 1);
      x.lua_createtable(L, 0, n);
      let at = next;
      for (let i = 0; i < n; i++) {
        at = pushReplyAsLua(vm, L, buf, at);
        if (type === 0x25) at = pushReplyAsLua(vm, L, buf, at);
        else x.lua_pushboolean(L, 1);
        x.lua_settable(L, -3);
      }
      vm.setField(L, -2, type === 0x25 ? "map" : "set");
      return at;
    }
    case 0x5f: // _ null
      x.lua_pushnil(L);
      return next;
    case 0x23: // # boolean
      x.lua_pushboolean(L, buf[pos + 1] === 0x74 ? 1 : 0);
      return next;
    case 0x2c: // , double
      x.lua_createtable(L, 0, 1);
      x.lua_pushnumber(L, parseRespDouble(latin1(buf, pos + 1, lineEnd)));
      vm.setField(L, -2, "double");
      return next;
    case 0x28: // ( big number
      x.lua_createtable(L, 0, 1);
      vm.pushBytes(L, buf, pos + 1, lineEnd - pos - 1);
      vm.setField(L, -2, "big_number");
      return next;
    case 0x3d: {
      // = verbatim: "fmt:text"
      const len = parseIntAt(buf, pos + 1, lineEnd);
      x.lua_createtable(L, 0, 1);
      x.lua_createtable(L, 0, 2);
      vm.pushBytes(L, buf, next + 4, len - 4);
      vm.setField(L, -2, "string");
      vm.pushBytes(L, buf, next, 3);
      vm.setField(L, -2, "format");
      vm.setField(L, -2, "verbatim_string");
      return next + len + 2;
    }
    case 0x7c: {
      // | attribute: skipped, then the reply itself
      const n = parseIntAt(buf, pos + 1, lineEnd);
      let at = next;
      for (let i = 0; i < 2 * n; i++) at = skipReply(buf, at);
      return pushReplyAsLua(vm, L, buf, at);
    }
    default:
      throw new Error(`unexpected reply type byte ${type} in a script call`);
  }
}

/**
 * Redis's `luaPushErrorBuff`: `{err="CODE message"}` from an error text given with or without
 * its leading `-` (without one, the code is ERR); trailing CR/LF trimmed.
 */
export function pushErrorTable(vm: LuaVM, L: number, text: string): void {
  let code = "ERR";
  let message = text;
  if (text.startsWith("-")) {
    const space = text.indexOf(" ");
    if (space < 0) message = text.slice(1);
    else {
      code = text.slice(1, space);
      message = text.slice(space + 1);
    }
  }
  message = message.replace(/^[\r\n]+|[\r\n]+$/g, "");
  vm.x.lua_createtable(L, 0, 2);
  vm.pushBytes(L, Buffer.from(`${code} ${message}`, "latin1"));
  vm.setField(L, -2, "err");
}

/** A RESP integer or length line (`-?digits`), read without making a string. */
function parseIntAt(buf: Uint8Array, start: number, end: number): number {
  // Beyond 15 digits a double no longer holds every integer: round the exact value once.
  if (end - start > 15) return Number(latin1(buf, start, end));
  let i = start;
  const negative = buf[i] === 0x2d;
  if (negative) i++;
  let n = 0;
  for (; i < end; i++) n = n * 10 + (buf[i]! - 0x30);
  return negative ? -n : n;
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
}

function parseRespDouble(text: string): number {
  if (text === "inf") return Number.POSITIVE_INFINITY;
  if (text === "-inf") return Number.NEGATIVE_INFINITY;
  if (text === "nan") return Number.NaN;
  return Number(text);
}

/** The position after the reply at `pos`. */
function skipReply(buf: Uint8Array, pos: number): number {
  const type = buf[pos]!;
  const lineEnd = buf.indexOf(CR, pos + 1);
  const next = lineEnd + 2;
  const n = () => parseIntAt(buf, pos + 1, lineEnd);
  switch (type) {
    case 0x24:
    case 0x3d:
    case 0x21: {
      const len = n();
      return len < 0 ? next : next + len + 2;
    }
    case 0x2a:
    case 0x7e:
    case 0x3e: {
      let at = next;
      for (let i = n(); i > 0; i--) at = skipReply(buf, at);
      return at;
    }
    case 0x25:
    case 0x7c: {
      let at = next;
      for (let i = 2 * n(); i > 0; i--) at = skipReply(buf, at);
      return at;
    }
    default:
      return next;
  }
}
