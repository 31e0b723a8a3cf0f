import { LUA_GLOBALSINDEX, type LuaVM } from "../../LuaVM.js";
import { originalFunction } from "./libSupport.js";

/**
 * `string.dump` with x86-64's header and 8-byte `size_t` string lengths, so the bytes equal
 * redis-server's (its Lua never loads them back, but a script can return them). The wasm Lua
 * writes the same bytecode with 4-byte lengths; the dump is re-encoded field by field
 * (lundump.c's layout: header, then each function's source, line range, sizes, code, constants,
 * nested functions and debug info).
 */

const HEADER_SIZE = 12;
/** Header byte holding sizeof(size_t). */
const HEADER_SIZE_T = 8;
const TYPE_NIL = 0;
const TYPE_BOOLEAN = 1;
const TYPE_NUMBER = 3;
const TYPE_STRING = 4;

/** Re-encodes a 32-bit `size_t` dump with 64-bit lengths. */
export function widenDump(dump: Uint8Array): Uint8Array {
  const out: number[] = [];
  let pos = 0;
  const view = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
  const copy = (n: number): void => {
    for (let i = 0; i < n; i++) out.push(dump[pos + i]!);
    pos += n;
  };
  const int = (): number => {
    const v = view.getInt32(pos, true);
    copy(4);
    return v;
  };
  const string = (): void => {
    const length = view.getUint32(pos, true);
    copy(4);
    out.push(0, 0, 0, 0);
    copy(length);
  };
  const fn = (): void => {
    string(); // source
    copy(4 + 4 + 4); // linedefined, lastlinedefined, nups/numparams/is_vararg/maxstacksize
    copy(int() * 4); // code
    const constants = int();
    for (let i = 0; i < constants; i++) {
      const type = dump[pos]!;
      copy(1);
      if (type === TYPE_BOOLEAN) copy(1);
      else if (type === TYPE_NUMBER) copy(8);
      else if (type === TYPE_STRING) string();
      else if (type !== TYPE_NIL) throw new Error(`string.dump: unexpected constant type ${type}`);
    }
    const nested = int();
    for (let i = 0; i < nested; i++) fn();
    copy(int() * 4); // line info
    const locals = int();
    for (let i = 0; i < locals; i++) {
      string();
      copy(8); // startpc, endpc
    }
    const upvalues = int();
    for (let i = 0; i < upvalues; i++) string();
  };
  copy(HEADER_SIZE);
  out[HEADER_SIZE_T] = 8;
  fn();
  return Uint8Array.from(out);
}

export function openStringDump(vm: LuaVM): void {
  const x = vm.x;
  const L0 = vm.L;
  vm.getField(L0, LUA_GLOBALSINDEX, "string");
  const dump = originalFunction(vm, "dump");
  vm.setFunction(L0, "dump", (L) => {
    dump(L);
    const widened = widenDump(vm.bytesView(L, -1)!);
    x.lua_settop(L, -2);
    vm.pushBytes(L, widened);
    return 1;
  });
  x.lua_settop(L0, -2);
}
