import { Socket } from "node:net";
import {
  createRedisSandbox,
  LUA_REGISTRYINDEX,
  LuaHookMask,
  LuaStatus,
  LuaVM,
  openBit,
  openCjson,
  openCmsgpack,
  openRedisBaseFixes,
  openRedisMath,
  openStruct,
  RedisRand48,
  SANDBOX_CHUNK,
} from "@nedis/lua";
import type { CommandArgs } from "../commands/CommandSpec.js";
import { Client } from "../net/Client.js";
import { PerServer } from "../perServer.js";
import type { ServerContext } from "../ServerContext.js";
import { BusyPause, killVerdict, registerEngine } from "./BusyPause.js";
import { EvalshaCache } from "./EvalshaCache.js";
import { writeLuaReply } from "./luaToResp.js";
import { registerRedisApi } from "./redisApi.js";
import { pushErrorTable, pushReplyAsLua } from "./respToLua.js";
import { ScriptArgs } from "./ScriptArgs.js";
import { RunFlag, type ScriptRun } from "./ScriptRun.js";
import { ScriptThreads } from "./ScriptThreads.js";
import { scriptCall } from "./scriptCall.js";
import { writeScriptError } from "./scriptErrorReply.js";
import { sha1hex } from "./sha1hex.js";

/** A script in the EVAL cache: its compiled function (a registry reference) and its source. */
export interface CachedScript {
  readonly sha: string;
  readonly ref: number;
  readonly body: Buffer;
  readonly flags: number;
}

/** The status of a resume that ended in a host exception instead of a Lua one. */
const TRAPPED = -1;

/** Instructions between two looks at the clock (Redis's count hook period). */
const HOOK_INSTRUCTIONS = 100_000;

/** Per-script bookkeeping Redis counts in `used_memory_scripts_eval` beside the bodies. */
const SCRIPT_OVERHEAD = 96;

/**
 * The Lua engine of EVAL (Redis's eval.c + script_lua.c): one Lua state with Redis's sandbox,
 * the script cache by SHA1, the client `redis.call` runs commands as, and the script running
 * now. Scripts run to their end inside the command that started them.
 */
export class LuaScripting {
  readonly vm: LuaVM;
  readonly scripts = new Map<string, CachedScript>();
  /** Bytes of cached bodies and their names (`used_memory_scripts_eval`). */
  scriptsMemory = 0;
  /** The running script, or null. */
  run: ScriptRun | null = null;
  /** Redis's `lua_client`: runs the script's commands; its protocol is the script's (setresp). */
  readonly scriptClient: Client;
  private readonly globalsRef: number;
  private readonly args = new ScriptArgs();
  /** A reusable thread for runs (a coroutine whose function returned can run another). */
  private thread = 0;
  private threadRef = 0;
  private inCall = false;
  /** The script's threads (its own, and its pcall coroutines), for busy pauses. */
  private threads!: ScriptThreads;
  /** The SHA EVALSHA named last, to skip making its string again. */
  readonly evalsha = new EvalshaCache(this.scripts);
  /** `busy-reply-threshold`, kept current (the count hook stays on the thread; 0 returns at once). */
  private busyThreshold: number;
  /** The names KEYS and ARGV as C strings, made once. */
  private readonly keysName: number;
  private readonly argvName: number;
  /** Holds the server while a run is paused past busy-reply-threshold. */
  private readonly busy: BusyPause;
  /** The message of the last trapped resume. */
  private trap = "";

  /**
   * `extraApi` adds engine-specific fields to the `redis` table (EVAL's engine and the
   * Functions engine each own a Lua state, as in Redis).
   */
  constructor(
    private readonly server: ServerContext,
    extraApi?: (vm: LuaVM, L: number, engine: LuaScripting) => void,
  ) {
    this.vm = new LuaVM();
    this.busy = new BusyPause(server);
    registerEngine(server, this);
    this.globalsRef = createRedisSandbox(this.vm, {
      // x86-64/glibc answers from the wasm Lua's own libraries, then Redis's order
      // (luaLoadLibraries): cjson, struct, cmsgpack, bit.
      libraries: [openRedisBaseFixes, openCjson, openStruct, openCmsgpack, openBit],
      // One lrand48 sequence per server, shared by its engines, as Redis's single generator.
      beforeSeal: (vm) => {
        openRedisMath(vm, { rand: randoms.of(server), inScript: () => this.run !== null });
        this.threads = new ScriptThreads(vm);
        this.threads.install();
      },
      redisApi: (vm, L) => {
        registerRedisApi(vm, L, this);
        extraApi?.(vm, L, this);
      },
    });
    this.scriptClient = new Client(-1, new Socket(), {
      maxBulkLength: Number.MAX_SAFE_INTEGER,
      authenticated: true,
      pubsub: server.pubsub,
      errorStats: server.errorStats,
      unixSocketPath: "",
    });
    this.keysName = this.vm.name("KEYS");
    this.argvName = this.vm.name("ARGV");
    this.busyThreshold = server.config.number("busy-reply-threshold");
    server.config.onChange("busy-reply-threshold", () => {
      this.busyThreshold = server.config.number("busy-reply-threshold");
    });
    this.scriptClient.monitorOrigin = "lua";
    this.scriptClient.isScript = true;
  }

  get serverContext(): ServerContext {
    return this.server;
  }

  /** `used_memory_lua`/`used_memory_vm_eval`: what the Lua allocator holds. */
  memoryUsed(): number {
    return this.vm.memoryUsed();
  }

  /**
   * `luaCreateFunction`: compiles `body` (minus its shebang line, keeping the line feed so line
   * numbers hold) and caches it. Returns the SHA1, or the compile error text.
   */
  createFunction(body: Uint8Array, flags: number, shebangLength: number): { sha: string } | { error: string } {
    const sha = sha1hex(body);
    if (this.scripts.has(sha)) return { sha };
    const vm = this.vm;
    const L = vm.L;
    if (vm.load(L, body.subarray(shebangLength), "@user_script") !== LuaStatus.Ok) {
      const message = vm.toLatin1(L, -1);
      vm.x.lua_settop(L, -2);
      return { error: `ERR Error compiling script (new function): ${message}` };
    }
    const ref = vm.x.luaL_ref(L, LUA_REGISTRYINDEX);
    const copy = Buffer.from(body);
    this.scripts.set(sha, { sha, ref, body: copy, flags });
    this.scriptsMemory += copy.length + 40 + SCRIPT_OVERHEAD;
    return { sha };
  }

  /** SCRIPT FLUSH: forgets every cached script (Redis also resets the Lua state). */
  flush(): void {
    this.evalsha.forget();
    for (const script of this.scripts.values()) this.vm.x.luaL_unref(this.vm.L, LUA_REGISTRYINDEX, script.ref);
    this.scripts.clear();
    this.scriptsMemory = 0;
    this.vm.x.lua_gc(this.vm.L, 2, 0);
  }

  /**
   * `luaCallFunction`: runs the function held by registry reference `ref` and writes its reply
   * (or its error) to the caller. Its keys are `numkeys` arguments from `first`, the rest of
   * `args` its ARGV. EVAL scripts find KEYS and ARGV as globals; functions (`asArguments`)
   * receive them as their two arguments.
   */
  callFunction(
    run: ScriptRun,
    ref: number,
    args: CommandArgs,
    first: number,
    numkeys: number,
    asArguments = false,
  ): void {
    const vm = this.vm;
    const x = vm.x;
    const T = this.readyThread();
    const nargs = args.argc - first - numkeys;
    if (!asArguments) {
      // KEYS and ARGV go into the real globals (the proxies refuse writes).
      x.lua_rawgeti(T, LUA_REGISTRYINDEX, this.globalsRef);
      x.lua_pushstring(T, this.keysName);
      pushArray(vm, T, args, first, numkeys);
      x.lua_rawset(T, -3);
      x.lua_pushstring(T, this.argvName);
      pushArray(vm, T, args, first + numkeys, nargs);
      x.lua_rawset(T, -3);
      x.lua_settop(T, -2);
    }
    x.lua_rawgeti(T, LUA_REGISTRYINDEX, ref);
    if (asArguments) {
      pushArray(vm, T, args, first, numkeys);
      pushArray(vm, T, args, first + numkeys, nargs);
    }
    const client = this.scriptClient;
    client.db = run.caller.db;
    client.user = run.caller.user;
    client.writer.protocol = 2;
    this.run = run;
    // Keys expire by the instant the script started (Redis's script snapshot time).
    this.server.clock.freeze();
    this.continueRun(run, T, this.resume(T, asArguments ? 2 : 0));
  }

  /**
   * After each slice of a run: a script that yielded (past busy-reply-threshold) goes on after
   * the event loop served other clients (with BUSY); one that ended replies.
   */
  /**
   * `lua_resume`, guarded: the wasm Lua can hit a limit of its host instead of its own (the JS
   * stack under a deeply recursive pattern match). That unwinds through the wasm frames as a JS
   * exception: the run fails with it and its thread is dropped, the VM goes on.
   */
  private resume(T: number, nargs: number): number {
    const x = this.vm.x;
    const sp = x.stackSave();
    try {
      return x.lua_resume(T, nargs);
    } catch (e) {
      if (typeof e === "number") throw e;
      x.stackRestore(sp);
      this.trap = e instanceof Error ? e.message : String(e);
      return TRAPPED;
    }
  }

  private continueRun(run: ScriptRun, T: number, status: number): void {
    if (status === LuaStatus.Yield) {
      if (this.server.scriptBusy === null) this.busy.pause(run);
      setImmediate(this.resumeSlice);
      return;
    }
    const server = this.server;
    const x = this.vm.x;
    server.clock.thaw();
    this.run = null;
    // A killed run left the hook on every line: back to counting for the next run.
    if ((run.flags & RunFlag.Killed) !== 0 && status === LuaStatus.Ok)
      this.vm.setHook(T, this.countHook, LuaHookMask.Count, HOOK_INSTRUCTIONS);
    if (status === LuaStatus.Ok) {
      // One result, as Redis's lua_pcall(lua, 0, 1, …): the first of several, or nil.
      const results = x.lua_gettop(T);
      if (results === 0) x.lua_pushnil(T);
      else if (results > 1) x.lua_settop(T, 1);
      writeLuaReply(this.vm, T, run.caller.writer, this.scriptClient.writer.protocol);
      x.lua_settop(T, 0);
    } else if (status === TRAPPED) {
      // Redis's reply for an error that is not a Lua error object.
      run.caller.writer.error(`ERR Error running script ${run.funcName}, ${this.trap.slice(0, 100)}`);
      this.dropThread();
    } else {
      writeScriptError(this.vm, run, T);
      this.dropThread();
    }
    if (server.scriptBusy !== null) this.busy.unpause(run);
  }

  private readonly resumeSlice = (): void => {
    const run = this.run;
    if (run === null || this.thread === 0) return;
    this.continueRun(run, this.thread, this.resume(this.thread, 0));
  };

  /**
   * Redis's `luaMaskCountHook` + `scriptInterrupt`: every HOOK_INSTRUCTIONS instructions.
   * A killed script raises its error (and the hook then runs on every line, so pcall cannot
   * swallow it for long); past the threshold the script yields to the event loop where Lua
   * 5.1 allows it (not inside pcall or another C call, where it keeps running).
   */
  private readonly countHook = (T: number): void => {
    const run = this.run;
    if (run === null || this.busyThreshold <= 0) return;
    const vm = this.vm;
    if ((run.flags & RunFlag.Killed) !== 0) {
      this.threads.hookEveryLine(this.countHook);
      // The sandbox's own Lua (the pcall/xpcall wrappers) is C code in Redis, where no hook
      // runs: the error comes at the script's next line, so a pcall that caught it returns.
      if (this.threads.inHandler || vm.frameInfo(T, 0)?.source === SANDBOX_CHUNK) return;
      pushErrorTable(vm, T, "Script killed by user with SCRIPT KILL...");
      vm.x.lua_error(T);
    }
    const elapsed = run.elapsedMs();
    if (elapsed < this.busyThreshold) return;
    if ((run.flags & RunFlag.TimedOut) === 0) {
      run.flags |= RunFlag.TimedOut;
      const eval_ = (run.flags & RunFlag.EvalMode) !== 0;
      this.server.log.warning(
        `Slow script detected: still in execution after ${Math.floor(elapsed)} milliseconds. You can try killing the script using the ${eval_ ? "SCRIPT KILL" : "FUNCTION KILL"} command. Script name is: ${run.funcName}.`,
      );
    }
    if (this.threads.mayPause(T)) this.threads.pause(T);
  };

  /** SCRIPT KILL (`eval`) or FUNCTION KILL of this engine's run: null when it will stop, else the error. */
  kill(eval_: boolean): string | null {
    return killVerdict(this.server, this.run, eval_);
  }

  /** `redis.call`/`redis.pcall` (luaRedisGenericCommand); returns the count of Lua results. */
  redisCall(L: number, raiseError: boolean): number {
    const vm = this.vm;
    const x = vm.x;
    const run = this.run;
    if (run === null) {
      pushErrorTable(vm, L, "redis.call/pcall can only be called inside a script invocation");
      return x.lua_error(L);
    }
    const argc = x.lua_gettop(L);
    if (argc === 0) {
      pushErrorTable(vm, L, "Please specify at least one argument for this redis lib call");
      return raiseError ? x.lua_error(L) : 1;
    }
    const args = this.args;
    if (!args.load(vm, L, argc)) {
      pushErrorTable(vm, L, "Lua redis lib command arguments must be strings or integers");
      return raiseError ? x.lua_error(L) : 1;
    }
    // The arguments stay on the stack: Lua takes the one result from the top.
    if (this.inCall) {
      pushErrorTable(
        vm,
        L,
        "luaRedisGenericCommand() recursive call detected. Are you doing funny stuff with Lua debug hooks?",
      );
      return 1;
    }
    this.inCall = true;
    const client = this.scriptClient;
    let failed: boolean;
    try {
      const error = scriptCall(this.server, run, client, args);
      if (error !== null) {
        // Redis's afterErrorReply on the script client: the refusal counts in the error stats.
        this.server.errorStats.record(error.startsWith("-") ? error.slice(1) : `ERR ${error}`);
        pushErrorTable(vm, L, error);
        x.lua_pushboolean(L, 1);
        vm.setField(L, -2, "ignore_error_stats_update");
        failed = true;
      } else {
        const w = client.writer;
        failed = w.buffer[0] === 0x2d;
        pushReplyAsLua(vm, L, w.buffer, 0);
        w.length = 0;
      }
    } finally {
      this.inCall = false;
    }
    return failed && raiseError ? x.lua_error(L) : 1;
  }

  private readyThread(): number {
    if (this.thread === 0) {
      const x = this.vm.x;
      this.thread = x.lua_newthread(this.vm.L);
      this.threadRef = x.luaL_ref(this.vm.L, LUA_REGISTRYINDEX);
      this.vm.setHook(this.thread, this.countHook, LuaHookMask.Count, HOOK_INSTRUCTIONS);
      this.threads.add(this.thread);
    }
    return this.thread;
  }

  /** A thread that died in an error cannot run again. */
  private dropThread(): void {
    this.threads.remove(this.thread);
    this.vm.x.luaL_unref(this.vm.L, LUA_REGISTRYINDEX, this.threadRef);
    this.thread = 0;
    this.threadRef = 0;
  }
}

/** Redis's `luaCreateArray`: a Lua array of `count` arguments from `first`. */
function pushArray(vm: LuaVM, L: number, args: CommandArgs, first: number, count: number): void {
  vm.x.lua_createtable(L, count, 0);
  for (let i = 0; i < count; i++) {
    vm.pushBytes(L, args.buffer, args.offsets[first + i]!, args.lengths[first + i]!);
    vm.x.lua_rawseti(L, -2, i + 1);
  }
}

/** The server's `math.random` generator (rand.c's state: one per process in Redis). */
const randoms = new PerServer(() => new RedisRand48());

const instances = new PerServer((server) => new LuaScripting(server));

/** The server's EVAL engine, created at its first use (Redis creates it at start). */
export function luaScriptingOf(server: ServerContext): LuaScripting {
  return instances.of(server);
}

/** The engine if one was created (INFO must not create it). */
export function existingLuaScripting(server: ServerContext): LuaScripting | undefined {
  return instances.existing(server);
}
