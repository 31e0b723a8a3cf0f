import { LuaType, type LuaVM } from "@nedis/lua";
import { asciiEqualsLower, formatDouble } from "@nedis/resp-codec";
import type { CommandArgs } from "../commands/CommandSpec.js";

/**
 * The arguments of a `redis.call` as a command's argument vector: copied from the Lua stack
 * into one reused buffer (Redis's `luaArgsToRedisArgv` with its cached argv). Numbers are
 * formatted with `%.17g`, as Redis does, not with Lua's lossy `%.14g`.
 */
export class ScriptArgs implements CommandArgs {
  argc = 0;
  buffer: Buffer = Buffer.allocUnsafe(256);
  offsets = new Int32Array(16);
  lengths = new Int32Array(16);

  /**
   * Reads arguments 1..argc of `L` (its top). Returns false (nothing read) when one is neither
   * a string nor a number.
   */
  load(vm: LuaVM, L: number, argc: number): boolean {
    const x = vm.x;
    if (argc > this.offsets.length) {
      this.offsets = new Int32Array(argc * 2);
      this.lengths = new Int32Array(argc * 2);
    }
    let at = 0;
    for (let i = 0; i < argc; i++) {
      const type = x.lua_type(L, i + 1);
      if (type === LuaType.Number) {
        const text = formatDouble(x.lua_tonumber(L, i + 1));
        this.reserve(at + text.length);
        this.buffer.write(text, at, "latin1");
        this.offsets[i] = at;
        this.lengths[i] = text.length;
        at += text.length;
      } else if (type === LuaType.String) {
        const ptr = vm.stringAt(L, i + 1);
        const len = vm.stringLength;
        this.reserve(at + len);
        vm.copyFrom(ptr, len, this.buffer, at);
        this.offsets[i] = at;
        this.lengths[i] = len;
        at += len;
      } else {
        this.argc = 0;
        return false;
      }
    }
    this.argc = argc;
    return true;
  }

  private reserve(size: number): void {
    if (size <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    this.buffer.copy(bigger);
    this.buffer = bigger;
  }

  argEquals(i: number, lowerName: string): boolean {
    return asciiEqualsLower(this.buffer, this.offsets[i]!, this.lengths[i]!, lowerName);
  }

  argString(i: number): string {
    return this.buffer.toString("latin1", this.offsets[i]!, this.offsets[i]! + this.lengths[i]!);
  }

  argView(i: number): Uint8Array {
    const off = this.offsets[i]!;
    return this.buffer.subarray(off, off + this.lengths[i]!);
  }
}
