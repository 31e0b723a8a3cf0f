import { LuaType, type LuaVM } from "@nedis/lua";
import { REDIS_VERSION } from "../version.js";
import type { LuaScripting } from "./LuaScripting.js";
import { pushErrorTable } from "./respToLua.js";
import { ScriptArgs } from "./ScriptArgs.js";
import { ReplFlag } from "./ScriptRun.js";
import { sha1hex } from "./sha1hex.js";

/** Redis's log levels (LL_DEBUG … LL_WARNING). */
const LogLevel = { Debug: 0, Verbose: 1, Notice: 2, Warning: 3 } as const;

/** `REDIS_VERSION_NUM`: 0x00MMmmpp. */
function versionNumber(version: string): number {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  return (major << 16) | (minor << 8) | patch;
}

/**
 * Fills the `redis` table on top of `L` (script_lua.c `luaRegisterRedisAPI` and eval.c's
 * additions): call, pcall, log and its levels, the version, setresp, sha1hex, error_reply,
 * status_reply, set_repl and its flags, acl_check_cmd, breakpoint, debug, replicate_commands.
 */
export function registerRedisApi(vm: LuaVM, L: number, engine: LuaScripting): void {
  const x = vm.x;
  const setNumber = (name: string, n: number): void => {
    x.lua_pushnumber(L, n);
    vm.setField(L, -2, name);
  };
  vm.setFunction(L, "call", (s) => engine.redisCall(s, true));
  vm.setFunction(L, "pcall", (s) => engine.redisCall(s, false));
  vm.setFunction(L, "log", (s) => redisLog(vm, s, engine));
  setNumber("LOG_DEBUG", LogLevel.Debug);
  setNumber("LOG_VERBOSE", LogLevel.Verbose);
  setNumber("LOG_NOTICE", LogLevel.Notice);
  setNumber("LOG_WARNING", LogLevel.Warning);
  setNumber("REDIS_VERSION_NUM", versionNumber(REDIS_VERSION));
  vm.pushString(L, REDIS_VERSION);
  vm.setField(L, -2, "REDIS_VERSION");
  vm.setFunction(L, "setresp", (s) => {
    if (engine.run === null) return raise(vm, s, "redis.setresp can only be called inside a script invocation");
    if (x.lua_gettop(s) !== 1) return raise(vm, s, "redis.setresp() requires one argument.");
    const resp = Math.trunc(x.lua_tonumber(s, 1));
    if (resp !== 2 && resp !== 3) return raise(vm, s, "RESP version must be 2 or 3.");
    engine.scriptClient.writer.protocol = resp;
    return 0;
  });
  vm.setFunction(L, "sha1hex", (s) => {
    if (x.lua_gettop(s) !== 1) return raise(vm, s, "wrong number of arguments");
    const bytes = vm.bytesView(s, 1) ?? new Uint8Array(0);
    vm.pushString(s, sha1hex(bytes));
    return 1;
  });
  vm.setFunction(L, "error_reply", (s) => {
    if (x.lua_gettop(s) !== 1 || x.lua_type(s, -1) !== LuaType.String) {
      pushErrorTable(vm, s, "wrong number or type of arguments");
      return 1;
    }
    const text = vm.toLatin1(s, -1);
    pushErrorTable(vm, s, text.startsWith("-") ? text : `-${text}`);
    return 1;
  });
  vm.setFunction(L, "status_reply", (s) => {
    if (x.lua_gettop(s) !== 1 || x.lua_type(s, -1) !== LuaType.String) {
      pushErrorTable(vm, s, "wrong number or type of arguments");
      return 1;
    }
    x.lua_createtable(s, 0, 1);
    x.lua_pushvalue(s, -2);
    vm.setField(s, -2, "ok");
    return 1;
  });
  vm.setFunction(L, "set_repl", (s) => {
    const run = engine.run;
    if (run === null) return raise(vm, s, "redis.set_repl can only be called inside a script invocation");
    if (x.lua_gettop(s) !== 1) return raise(vm, s, "redis.set_repl() requires two arguments.");
    const flags = Math.trunc(x.lua_tonumber(s, -1));
    if ((flags & ~ReplFlag.All) !== 0) {
      return raise(vm, s, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    }
    run.replFlags = flags;
    return 0;
  });
  setNumber("REPL_NONE", ReplFlag.None);
  setNumber("REPL_AOF", ReplFlag.Aof);
  setNumber("REPL_SLAVE", ReplFlag.Replica);
  setNumber("REPL_REPLICA", ReplFlag.Replica);
  setNumber("REPL_ALL", ReplFlag.All);
  vm.setFunction(L, "acl_check_cmd", (s) => aclCheckCommand(vm, s, engine));
  // No debugger session is ever attached: breakpoint answers false, debug logs nothing.
  vm.setFunction(L, "breakpoint", (s) => {
    x.lua_pushboolean(s, 0);
    return 1;
  });
  vm.setFunction(L, "debug", () => 0);
  vm.setFunction(L, "replicate_commands", (s) => {
    x.lua_pushboolean(s, 1);
    return 1;
  });
}

/** `luaPushError` + `luaError`: raises `{err="ERR <message>"}`. */
function raise(vm: LuaVM, L: number, message: string): never {
  pushErrorTable(vm, L, message);
  return vm.x.lua_error(L);
}

/** redis.log(level, message, ...) */
function redisLog(vm: LuaVM, L: number, engine: LuaScripting): number {
  const x = vm.x;
  const argc = x.lua_gettop(L);
  if (argc < 2) return raise(vm, L, "redis.log() requires two arguments or more.");
  if (x.lua_isnumber(L, 1) === 0) return raise(vm, L, "First argument must be a number (log level).");
  const level = Math.trunc(x.lua_tonumber(L, 1));
  if (level < LogLevel.Debug || level > LogLevel.Warning) return raise(vm, L, "Invalid debug level.");
  const parts: string[] = [];
  for (let j = 2; j <= argc; j++) {
    const t = x.lua_type(L, j);
    if (t === LuaType.String || t === LuaType.Number) parts.push(vm.toLatin1(L, j));
  }
  const log = engine.serverContext.log;
  const message = parts.join(" ");
  if (level === LogLevel.Debug) log.debug(message);
  else if (level === LogLevel.Verbose) log.verbose(message);
  else if (level === LogLevel.Notice) log.notice(message);
  else log.warning(message);
  return 0;
}

/** Arguments of acl_check_cmd (rare: its own reused vector). */
const aclArgs = new ScriptArgs();

/** redis.acl_check_cmd(command, ...): whether the script's user may run it with these arguments. */
function aclCheckCommand(vm: LuaVM, L: number, engine: LuaScripting): number {
  const x = vm.x;
  const run = engine.run;
  const fail = (message: string): never => {
    pushErrorTable(vm, L, message);
    return x.lua_error(L);
  };
  if (run === null) return fail("redis.acl_check_cmd can only be called inside a script invocation");
  const argc = x.lua_gettop(L);
  if (argc === 0) return fail("Please specify at least one argument for this redis lib call");
  const args = aclArgs;
  if (!args.load(vm, L, argc)) return fail("Lua redis lib command arguments must be strings or integers");
  x.lua_settop(L, 0);
  const server = engine.serverContext;
  const container = server.commands.lookup(args);
  let cmd = container;
  if (container !== undefined && container.subcommands !== undefined && args.argc >= 2)
    cmd = server.commands.lookupSubcommand(container, args);
  if (container === undefined || cmd === undefined) return fail("Invalid command passed to redis.acl_check_cmd()");
  x.lua_pushboolean(L, server.auth.checkCommand(run.caller, container, cmd, args) === null ? 1 : 0);
  return 1;
}
