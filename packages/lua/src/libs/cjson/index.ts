import { LUA_GLOBALSINDEX, LuaType, type LuaVM, UPVALUE_2 } from "../../LuaVM.js";
import { CJSON_CONFIG_SIZE, CjsonConfigCell } from "./CjsonConfig.js";
import { JsonDecoder } from "./decode.js";
import { JsonEncoder } from "./encode.js";
import { checkInteger, toInt32 } from "./luaArguments.js";

/**
 * Redis 7.0's `cjson` library (lua_cjson.c 2.1.0 as Redis patches it), byte for byte: the global
 * table with encode, decode, the configuration functions, new, null (a NULL lightuserdata),
 * _NAME and _VERSION.
 */
export function openCjson(vm: LuaVM): void {
  const L = vm.L;
  const codec = { encoder: new JsonEncoder(vm), decoder: new JsonDecoder(vm), lenPtr: vm.x.malloc(4) };
  const functions = registerCjsonFunctions(vm, codec);
  pushCjsonTable(vm, L, functions);
  vm.setField(L, LUA_GLOBALSINDEX, "cjson");
}

/** The registered ids of the table's functions, by name. */
type CjsonFunctions = [string, number][];

interface Codec {
  encoder: JsonEncoder;
  decoder: JsonDecoder;
  /** A `size_t` out-parameter for `lua_tolstring`. */
  lenPtr: number;
}

const INT_MAX = 2 ** 31 - 1;

/**
 * The functions of every cjson table, registered once per VM. Each reads its table's config
 * from its userdata upvalue, so `cjson.new()` only makes closures and a userdata, which Lua
 * collects (a JS function per call would live as long as the VM).
 */
function registerCjsonFunctions(vm: LuaVM, codec: Codec): CjsonFunctions {
  const x = vm.x;
  const cell = new CjsonConfigCell(() => vm.u32);
  const configOf = (L: number): CjsonConfigCell => cell.at(x.lua_touserdata(L, UPVALUE_2));
  const boolOptions = optionList(vm, ["off", "on"]);
  const invalidNumberOptions = optionList(vm, ["off", "on", "null"]);

  /** `json_arg_init`: at most `count` arguments, padded with nils. */
  const initArgs = (L: number, count: number): void => {
    if (x.lua_gettop(L) > count) x.luaL_argerror(L, count + 1, vm.name("found too many arguments"));
    while (x.lua_gettop(L) < count) x.lua_pushnil(L);
  };

  /** `json_integer_option`: sets from arg `index` when given, pushes the current value. */
  const integerOption = (
    L: number,
    index: number,
    get: () => number,
    set: (v: number) => void,
    min: number,
    max: number,
  ) => {
    if (x.lua_type(L, index) !== LuaType.Nil) {
      const value = toInt32(checkInteger(vm, L, index));
      if (!(min <= value && value <= max)) {
        x.luaL_argerror(L, 1, vm.name(`expected integer between ${min} and ${max}`));
      }
      set(value);
    }
    x.lua_pushnumber(L, get());
    return 1;
  };

  /** `json_enum_option` with bool_true 1: a boolean or one of `options`; pushes the setting. */
  const enumOption = (L: number, index: number, get: () => number, set: (v: number) => void, options: Options) => {
    if (x.lua_type(L, index) !== LuaType.Nil) {
      if (x.lua_type(L, index) === LuaType.Boolean) set(x.lua_toboolean(L, index));
      else set(x.luaL_checkoption(L, index, 0, options.pointer));
    }
    const setting = get();
    if (setting === 0 || setting === 1) x.lua_pushboolean(L, setting);
    else vm.pushString(L, options.names[setting]!);
    return 1;
  };

  const functions: [string, (L: number) => number][] = [
    [
      "encode",
      (L) => {
        const c = configOf(L);
        if (x.lua_gettop(L) !== 1) x.luaL_argerror(L, 1, vm.name("expected 1 argument"));
        codec.encoder.encode(L, c);
        return 1;
      },
    ],
    [
      "decode",
      (L) => {
        const c = configOf(L);
        if (x.lua_gettop(L) !== 1) x.luaL_argerror(L, 1, vm.name("expected 1 argument"));
        const type = x.lua_type(L, 1);
        if (type !== LuaType.String && type !== LuaType.Number) x.luaL_typerror(L, 1, vm.name("string"));
        const pointer = x.lua_tolstring(L, 1, codec.lenPtr);
        const length = readSize(vm.u8, codec.lenPtr);
        codec.decoder.decode(L, c, pointer, length);
        return 1;
      },
    ],
    [
      "encode_sparse_array",
      (L) => {
        const c = configOf(L);
        initArgs(L, 3);
        enumOption(
          L,
          1,
          () => c.encodeSparseConvert,
          (v) => (c.encodeSparseConvert = v),
          boolOptions,
        );
        integerOption(
          L,
          2,
          () => c.encodeSparseRatio,
          (v) => (c.encodeSparseRatio = v),
          0,
          INT_MAX,
        );
        integerOption(
          L,
          3,
          () => c.encodeSparseSafe,
          (v) => (c.encodeSparseSafe = v),
          0,
          INT_MAX,
        );
        return 3;
      },
    ],
    [
      "encode_max_depth",
      (L) => {
        const c = configOf(L);
        initArgs(L, 1);
        return integerOption(
          L,
          1,
          () => c.encodeMaxDepth,
          (v) => (c.encodeMaxDepth = v),
          1,
          INT_MAX,
        );
      },
    ],
    [
      "decode_max_depth",
      (L) => {
        const c = configOf(L);
        initArgs(L, 1);
        return integerOption(
          L,
          1,
          () => c.decodeMaxDepth,
          (v) => (c.decodeMaxDepth = v),
          1,
          INT_MAX,
        );
      },
    ],
    [
      "encode_number_precision",
      (L) => {
        const c = configOf(L);
        initArgs(L, 1);
        return integerOption(
          L,
          1,
          () => c.encodeNumberPrecision,
          (v) => (c.encodeNumberPrecision = v),
          1,
          14,
        );
      },
    ],
    [
      "encode_keep_buffer",
      (L) => {
        const c = configOf(L);
        initArgs(L, 1);
        return enumOption(
          L,
          1,
          () => c.encodeKeepBuffer,
          (v) => (c.encodeKeepBuffer = v),
          boolOptions,
        );
      },
    ],
    [
      "encode_invalid_numbers",
      (L) => {
        const c = configOf(L);
        initArgs(L, 1);
        return enumOption(
          L,
          1,
          () => c.encodeInvalidNumbers,
          (v) => (c.encodeInvalidNumbers = v),
          invalidNumberOptions,
        );
      },
    ],
    [
      "decode_invalid_numbers",
      (L) => {
        const c = configOf(L);
        initArgs(L, 1);
        return enumOption(
          L,
          1,
          () => c.decodeInvalidNumbers,
          (v) => (c.decodeInvalidNumbers = v),
          boolOptions,
        );
      },
    ],
    [
      "new",
      (L) => {
        pushCjsonTable(vm, L, ids);
        return 1;
      },
    ],
  ];

  const ids: CjsonFunctions = functions.map(([name, fn]) => [name, vm.registerFunction(fn)]);
  return ids;
}

/** `lua_cjson_new`: a fresh table whose functions share one new configuration (a userdata). */
function pushCjsonTable(vm: LuaVM, L: number, functions: CjsonFunctions): void {
  const x = vm.x;
  x.lua_createtable(L, 0, 0);
  const config = x.lua_newuserdata(L, CJSON_CONFIG_SIZE);
  new CjsonConfigCell(() => vm.u32).initialize(config);
  for (const [name, id] of functions) {
    x.lua_pushvalue(L, -1);
    vm.pushClosure(L, id);
    vm.setField(L, -3, name);
  }
  x.lua_settop(L, -2);
  x.lua_pushlightuserdata(L, 0);
  vm.setField(L, -2, "null");
  vm.pushString(L, "cjson");
  vm.setField(L, -2, "_NAME");
  vm.pushString(L, "2.1.0");
  vm.setField(L, -2, "_VERSION");
}

/** A little-endian 32-bit `size_t` in wasm memory. */
function readSize(u8: Uint8Array, pointer: number): number {
  return (u8[pointer]! | (u8[pointer + 1]! << 8) | (u8[pointer + 2]! << 16) | (u8[pointer + 3]! << 24)) >>> 0;
}

interface Options {
  names: string[];
  /** A NULL-terminated `const char *[]` in wasm memory, for `luaL_checkoption`. */
  pointer: number;
}

const optionLists = new WeakMap<LuaVM, Map<string, Options>>();

/** The option list for `luaL_checkoption`, allocated once per VM. */
function optionList(vm: LuaVM, names: string[]): Options {
  let lists = optionLists.get(vm);
  if (lists === undefined) {
    lists = new Map();
    optionLists.set(vm, lists);
  }
  const key = names.join("\0");
  let options = lists.get(key);
  if (options === undefined) {
    const namePointers = names.map((name) => vm.name(name));
    const pointer = vm.x.malloc(4 * (names.length + 1));
    // A view made after the allocations: they may have grown (and so replaced) the memory.
    const view = new DataView(vm.u8.buffer);
    namePointers.forEach((namePointer, i) => view.setUint32(pointer + 4 * i, namePointer, true));
    view.setUint32(pointer + 4 * names.length, 0, true);
    options = { names, pointer };
    lists.set(key, options);
  }
  return options;
}
