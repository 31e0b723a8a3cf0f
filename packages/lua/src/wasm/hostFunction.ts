import type { LuaInstance } from "./instantiateLua.js";
import { Wasm } from "./wasmApi.js";

/**
 * Puts a JS function into the module's function table, so C code can call it through a pointer
 * (a `lua_CFunction`, a hook). A table only holds wasm functions, so the JS function is imported
 * into a tiny generated module and re-exported, as Emscripten's `addFunction` does; only i32
 * parameters and results are needed here.
 */
export function addHostFunction(
  lua: LuaInstance,
  fn: (...args: number[]) => number | undefined,
  params: number,
  returnsI32: boolean,
): number {
  const I32 = 0x7f;
  const type = [0x60, params, ...new Array<number>(params).fill(I32), ...(returnsI32 ? [1, I32] : [0])];
  const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
  const bytes = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, ...type]),
    ...section(2, [1, 1, 0x65, 1, 0x66, 0x00, 0x00]),
    ...section(7, [1, 1, 0x66, 0x00, 0x00]),
  ]);
  const instance = new Wasm.Instance(new Wasm.Module(bytes), { e: { f: fn } });
  const table = lua.x.__indirect_function_table;
  const index = table.length;
  table.grow(1);
  table.set(index, instance.exports.f);
  return index;
}
