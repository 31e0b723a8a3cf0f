import { PerServer } from "../../perServer.js";
import { provideFunctionLibraries } from "../../persistence/functionLibraryStore.js";
import type { ServerContext } from "../../ServerContext.js";
import type { ScriptRun } from "../ScriptRun.js";
import { FunctionLibraries } from "./FunctionLibraries.js";
import { LuaFunctionsEngine } from "./LuaFunctionsEngine.js";

/** `LOAD_TIMEOUT_MS`: how long FUNCTION LOAD lets a library's code run. */
export const LOAD_TIMEOUT_MS = 500;

/** The server's Functions: the Lua engine and the current library context (`curr_functions_lib_ctx`). */
export class ServerFunctions {
  readonly engine: LuaFunctionsEngine;
  libraries: FunctionLibraries;
  /** The last FCALL that went busy and its command line, for FUNCTION STATS while it runs. */
  lastCall: { readonly run: ScriptRun; readonly command: readonly Buffer[] } | null = null;

  constructor(server: ServerContext) {
    this.engine = new LuaFunctionsEngine(server);
    this.libraries = new FunctionLibraries(this.engine);
  }

  /** A new, empty context on the same engine (FUNCTION RESTORE and RDB loading fill one first). */
  newContext(): FunctionLibraries {
    return new FunctionLibraries(this.engine);
  }

  /** The function running now (paused past busy-reply-threshold) and the FCALL that started it, or null. */
  running(): { readonly run: ScriptRun; readonly command: readonly Buffer[] } | null {
    const call = this.lastCall;
    return call !== null && call.run === this.engine.lua.run ? call : null;
  }

  /** `functionsMemoryOverhead`: the engine's bookkeeping plus the libraries'. */
  memoryOverhead(): number {
    return FUNCTIONS_EMPTY_OVERHEAD + this.libraries.overhead();
  }
}

/** `used_memory_functions` with no library: Redis's `engine_cache_memory` and the dicts around it (7.0.15). */
export const FUNCTIONS_EMPTY_OVERHEAD = 200;

const instances = new PerServer((server) => new ServerFunctions(server));

/** The server's Functions, created at first use (Redis creates the engine at start). */
export function functionsOf(server: ServerContext): ServerFunctions {
  return instances.of(server);
}

/** The Functions if created (INFO and FUNCTION LIST must not start a Lua state). */
export function existingFunctions(server: ServerContext): ServerFunctions | undefined {
  return instances.existing(server);
}

provideFunctionLibraries((server) => ({
  codes: () => [...(existingFunctions(server)?.libraries.libraries.values() ?? [])].map((library) => library.code),
  load(code, replace) {
    const created = functionsOf(server).libraries.create(code, replace, 0);
    return "error" in created ? created.error : null;
  },
}));
