import { LUA_GLOBALSINDEX, LUA_REGISTRYINDEX, LuaHookMask, LuaStatus, LuaType, type LuaVM } from "@nedis/lua";
import type { ServerContext } from "../../ServerContext.js";
import { LuaScripting } from "../LuaScripting.js";
import { pushErrorTable } from "../respToLua.js";
import { SCRIPT_FLAG_NAMES } from "../scriptFlags.js";
import { INVALID_NAME_ERROR, validFunctionName } from "./libraryMetadata.js";

/** A function `redis.register_function` registered: its callback is a Lua registry reference. */
export interface RegisteredFunction {
  readonly name: string;
  readonly ref: number;
  readonly description: string | null;
  readonly flags: number;
}

/** What the `redis` table of a library's load run keeps from the runtime one (function_lua.c). */
const LOAD_API_FIELDS = [
  "log",
  "LOG_DEBUG",
  "LOG_VERBOSE",
  "LOG_NOTICE",
  "LOG_WARNING",
  "REDIS_VERSION",
  "REDIS_VERSION_NUM",
];
/** eval.c adds these to EVAL's engine only. */
const EVAL_ONLY_FIELDS = ["breakpoint", "debug", "replicate_commands"];
/** `luaEngineLoadHook` runs every 100000 instructions. */
const LOAD_HOOK_INSTRUCTIONS = 100_000;

/**
 * Redis's Lua engine for Functions (function_lua.c): its own Lua state, where FUNCTION LOAD runs
 * a library's code with globals that read through a narrow library API (`redis.register_function`,
 * `redis.log` and the version only) and then runs the registered callbacks with the full API.
 * The swap is the globals proxy's `__index`, as Redis swaps its globals' metatable.
 */
export class LuaFunctionsEngine {
  readonly lua: LuaScripting;
  private readonly vm: LuaVM;
  /** The metatable of the globals proxy, and the two tables its `__index` switches between. */
  private readonly globalsMetaRef: number;
  private readonly realGlobalsRef: number;
  private readonly libraryApiRef: number;
  /** The functions registered by the load run in progress, or null outside FUNCTION LOAD. */
  private loading: Map<string, RegisteredFunction> | null = null;

  constructor(server: ServerContext) {
    this.lua = new LuaScripting(server, (vm, L) => {
      for (const field of EVAL_ONLY_FIELDS) {
        vm.x.lua_pushnil(L);
        vm.setField(L, -2, field);
      }
    });
    const vm = this.lua.vm;
    this.vm = vm;
    const x = vm.x;
    const L = vm.L;
    x.lua_getmetatable(L, LUA_GLOBALSINDEX);
    vm.getField(L, -1, "__index");
    this.realGlobalsRef = x.luaL_ref(L, LUA_REGISTRYINDEX);
    this.globalsMetaRef = x.luaL_ref(L, LUA_REGISTRYINDEX);
    this.libraryApiRef = this.createLibraryApi();
  }

  /**
   * `luaEngineCreate`: compiles `code` (a library's code after its header line) and runs it so it
   * registers its functions, stopping it after `timeoutMs` (0: never). Returns the functions, or
   * the error text without ERR.
   */
  createLibrary(code: Uint8Array, timeoutMs: number): RegisteredFunction[] | { error: string } {
    const vm = this.vm;
    const x = vm.x;
    const L = vm.L;
    if (vm.load(L, code, "@user_function") !== LuaStatus.Ok) {
      const message = vm.toLatin1(L, -1);
      x.lua_settop(L, -2);
      return { error: `Error compiling function: ${message}` };
    }
    const registered = new Map<string, RegisteredFunction>();
    this.loading = registered;
    this.setGlobalsIndex(this.libraryApiRef);
    const started = performance.now();
    // The VM has one hook function: the run thread's busy-script hook is put back afterwards.
    const runHook = vm.hook;
    const hook = (s: number): void => {
      if (timeoutMs <= 0 || performance.now() - started <= timeoutMs) return;
      // From now on every line fails, so a pcall in the library cannot swallow the timeout.
      vm.setHook(s, hook, LuaHookMask.Line, 0);
      pushErrorTable(vm, s, "FUNCTION LOAD timeout");
      x.lua_error(s);
    };
    vm.setHook(L, hook, LuaHookMask.Count, LOAD_HOOK_INSTRUCTIONS);
    let status: number;
    try {
      status = x.lua_pcall(L, 0, 0, 0);
    } finally {
      // Mask 0 turns the hook off on the main thread and leaves the run thread's hook its function.
      vm.setHook(L, runHook, 0, 0);
      this.setGlobalsIndex(this.realGlobalsRef);
      this.loading = null;
    }
    if (status !== LuaStatus.Ok) {
      const message = errorMessage(vm, L);
      x.lua_settop(L, -2);
      for (const fn of registered.values()) this.free(fn);
      return { error: `Error registering functions: ${message}` };
    }
    return [...registered.values()];
  }

  /** `luaEngineFreeFunction`. */
  free(fn: RegisteredFunction): void {
    this.vm.x.luaL_unref(this.vm.L, LUA_REGISTRYINDEX, fn.ref);
  }

  /** `used_memory_vm_functions`: the Lua allocator's bytes in whole KB, as `lua_gc(LUA_GCCOUNT)`. */
  memoryUsed(): number {
    return Math.floor(this.vm.memoryUsed() / 1024) * 1024;
  }

  private setGlobalsIndex(tableRef: number): void {
    const vm = this.vm;
    const x = vm.x;
    const L = vm.L;
    x.lua_rawgeti(L, LUA_REGISTRYINDEX, this.globalsMetaRef);
    vm.pushString(L, "__index");
    x.lua_rawgeti(L, LUA_REGISTRYINDEX, tableRef);
    x.lua_rawset(L, -3);
    x.lua_settop(L, -2);
  }

  /**
   * The load run's globals: a table holding only `redis` (register_function, log, the log levels
   * and the version), both raising "nonexistent global variable" on unknown names; `redis` is
   * read-only, as Redis protects the library API table.
   */
  private createLibraryApi(): number {
    const vm = this.vm;
    const x = vm.x;
    const L = vm.L;
    const pushUnknownGlobalMetatable = (): void => {
      x.lua_createtable(L, 0, 1);
      vm.pushFunction(L, (s) => {
        const t = x.lua_type(s, 2);
        if (t !== LuaType.String && t !== LuaType.Number)
          return vm.errorAt(s, "Second argument to luaProtectedTableError must be a string or number");
        return vm.errorAt(s, `Script attempted to access nonexistent global variable '${vm.toLatin1(s, 2)}'`);
      });
      vm.setField(L, -2, "__index");
    };
    x.lua_createtable(L, 0, 1); // the library API (globals while loading)
    x.lua_createtable(L, 0, 0); // the proxy of its `redis` table
    x.lua_createtable(L, 0, 2); // the proxy's metatable
    x.lua_createtable(L, 0, LOAD_API_FIELDS.length + 1); // the load-time `redis` table
    vm.setFunction(L, "register_function", (s) => this.registerFunction(s));
    vm.getField(L, LUA_GLOBALSINDEX, "redis");
    for (const field of LOAD_API_FIELDS) {
      vm.getField(L, -1, field);
      vm.setField(L, -3, field);
    }
    x.lua_settop(L, -2);
    pushUnknownGlobalMetatable();
    x.lua_setmetatable(L, -2);
    vm.setField(L, -2, "__index");
    vm.pushFunction(L, (s) => vm.errorAt(s, "Attempt to modify a readonly table"));
    vm.setField(L, -2, "__newindex");
    x.lua_setmetatable(L, -2);
    vm.setField(L, -2, "redis");
    pushUnknownGlobalMetatable();
    x.lua_setmetatable(L, -2);
    return x.luaL_ref(L, LUA_REGISTRYINDEX);
  }

  /** `luaRegisterFunction`: redis.register_function(name, callback) or redis.register_function{…}. */
  private registerFunction(L: number): number {
    const vm = this.vm;
    const x = vm.x;
    const fail = (message: string): never => {
      pushErrorTable(vm, L, message);
      return x.lua_error(L);
    };
    const library = this.loading;
    if (library === null) return fail("redis.register_function can only be called on FUNCTION LOAD command");
    const argc = x.lua_gettop(L);
    if (argc < 1 || argc > 2) return fail("wrong number of arguments to redis.register_function");
    const read = argc === 1 ? this.readNamedArgs(L) : this.readPositionalArgs(L);
    if (typeof read === "string") return fail(read);
    // functionLibCreateFunction: names within a library are compared case-sensitively.
    let error: string | null = null;
    if (!validFunctionName(read.name)) error = INVALID_NAME_ERROR;
    else if (library.has(read.name)) error = "Function already exists in the library";
    if (error !== null) {
      this.free(read);
      return fail(error);
    }
    library.set(read.name, read);
    return 0;
  }

  private readPositionalArgs(L: number): RegisteredFunction | string {
    const vm = this.vm;
    const x = vm.x;
    if (x.lua_isstring(L, 1) === 0) return "first argument to redis.register_function must be a string";
    const name = vm.toLatin1(L, 1);
    if (x.lua_type(L, 2) !== LuaType.Function) return "second argument to redis.register_function must be a function";
    const ref = x.luaL_ref(L, LUA_REGISTRYINDEX);
    return { name, ref, description: null, flags: 0 };
  }

  /** `luaRegisterFunctionReadNamedArgs`: keys in Lua's `next` order, so the first error is Redis's. */
  private readNamedArgs(L: number): RegisteredFunction | string {
    const vm = this.vm;
    const x = vm.x;
    if (x.lua_type(L, 1) !== LuaType.Table) {
      return "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).";
    }
    let name: string | null = null;
    let description: string | null = null;
    let ref: number | null = null;
    let flags = 0;
    const error = (message: string): string => {
      if (ref !== null) x.luaL_unref(L, LUA_REGISTRYINDEX, ref);
      return message;
    };
    x.lua_pushnil(L);
    while (x.lua_next(L, -2) !== 0) {
      if (x.lua_isstring(L, -2) === 0)
        return error("named argument key given to redis.register_function is not a string");
      const key = vm.toLatin1(L, -2).toLowerCase();
      if (key === "function_name") {
        if (x.lua_isstring(L, -1) === 0)
          return error("function_name argument given to redis.register_function must be a string");
        name = vm.toLatin1(L, -1);
      } else if (key === "description") {
        if (x.lua_isstring(L, -1) === 0)
          return error("description argument given to redis.register_function must be a string");
        description = vm.toLatin1(L, -1);
      } else if (key === "callback") {
        if (x.lua_type(L, -1) !== LuaType.Function)
          return error("callback argument given to redis.register_function must be a function");
        if (ref !== null) x.luaL_unref(L, LUA_REGISTRYINDEX, ref);
        ref = x.luaL_ref(L, LUA_REGISTRYINDEX);
        continue; // luaL_ref popped the value
      } else if (key === "flags") {
        if (x.lua_type(L, -1) !== LuaType.Table)
          return error("flags argument to redis.register_function must be a table representing function flags");
        const read = this.readFlags(L);
        if (read === null) return error("unknown flag given");
        flags = read;
      } else {
        return error("unknown argument given to redis.register_function");
      }
      x.lua_settop(L, -2);
    }
    if (name === null) return error("redis.register_function must get a function name argument");
    if (ref === null) return error("redis.register_function must get a callback argument");
    return { name, ref, description, flags };
  }

  /** `luaRegisterFunctionReadFlags`: the flags table on top of the stack; null on an unknown flag. */
  private readFlags(L: number): number | null {
    const vm = this.vm;
    const x = vm.x;
    let flags = 0;
    for (let j = 1; ; j++) {
      x.lua_pushnumber(L, j);
      x.lua_gettable(L, -2);
      if (x.lua_type(L, -1) === LuaType.Nil) {
        x.lua_settop(L, -2);
        return flags;
      }
      const known = x.lua_isstring(L, -1) !== 0 ? flagNamed(vm.toLatin1(L, -1)) : undefined;
      x.lua_settop(L, -2);
      if (known === undefined) return null;
      flags |= known;
    }
  }
}

function flagNamed(name: string): number | undefined {
  const lower = name.toLowerCase();
  return SCRIPT_FLAG_NAMES.find(([n]) => n === lower)?.[1];
}

/** `luaExtractErrorInformation`'s message: `ERR <text>` for a string, a table's `err`. */
function errorMessage(vm: LuaVM, L: number): string {
  const x = vm.x;
  let message = "(null)";
  const type = x.lua_type(L, -1);
  if (type === LuaType.String || type === LuaType.Number) message = `ERR ${vm.toLatin1(L, -1)}`;
  else if (type === LuaType.Table) {
    vm.getField(L, -1, "err");
    if (x.lua_isstring(L, -1) !== 0) message = vm.toLatin1(L, -1);
    x.lua_settop(L, -2);
  }
  return message;
}
