import type { LuaFunctionsEngine, RegisteredFunction } from "./LuaFunctionsEngine.js";
import { INVALID_NAME_ERROR, parseLibraryMetadata, validFunctionName } from "./libraryMetadata.js";

/** The only engine Redis 7.0 registers. */
export const LUA_ENGINE_NAME = "LUA";

/** A loaded library: its whole code (header included) and its functions by exact name. */
export interface FunctionLibrary {
  readonly name: string;
  readonly code: Buffer;
  readonly functions: Map<string, LibraryFunction>;
}

export interface LibraryFunction extends RegisteredFunction {
  readonly library: FunctionLibrary;
}

/** Bookkeeping Redis counts per function and library beside their strings (dict entries, structs). */
const FUNCTION_OVERHEAD = 96;
const LIBRARY_OVERHEAD = 128;

/**
 * Redis's `functionsLibCtx` (functions.c): libraries by name (case-sensitive), every library's
 * functions by name (case-insensitive, so FCALL ignores case), the engine's counts, and the
 * memory they hold. FUNCTION RESTORE builds a second one and joins it to the current one.
 */
export class FunctionLibraries {
  readonly libraries = new Map<string, FunctionLibrary>();
  /** By lowercased name. */
  readonly functions = new Map<string, LibraryFunction>();
  /** FUNCTION STATS's `functions_count`: every linked library's functions, as Redis counts them. */
  functionsCount = 0;
  /** `cache_memory`: the names, descriptions and code held. */
  memory = 0;

  constructor(private readonly engine: LuaFunctionsEngine) {}

  function(name: string): LibraryFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  /**
   * `functionsCreateWithLibraryCtx`: parses the header, runs the code, and links the library,
   * replacing one of the same name when `replace`. `code` (header included) is kept, not copied.
   * Returns the library's name or the error text (without ERR); on error nothing changes.
   */
  create(code: Buffer, replace: boolean, timeoutMs: number): { name: string } | { error: string } {
    const metadata = parseLibraryMetadata(code);
    if ("error" in metadata) return metadata;
    if (!validFunctionName(metadata.name)) return { error: INVALID_NAME_ERROR };
    if (metadata.engine.toUpperCase() !== LUA_ENGINE_NAME) return { error: `Engine '${metadata.engine}' not found` };
    const old = this.libraries.get(metadata.name);
    if (old !== undefined && !replace) return { error: `Library '${metadata.name}' already exists` };
    if (old !== undefined) this.unlink(old);
    const created = this.engine.createLibrary(metadata.code, timeoutMs);
    const refusal = "error" in created ? created.error : this.refusal(created);
    if (refusal !== null || "error" in created) {
      if (!("error" in created)) for (const fn of created) this.engine.free(fn);
      // A failed REPLACE leaves the old library in place.
      if (old !== undefined) this.link(old);
      return { error: refusal ?? "" };
    }
    const library: FunctionLibrary = { name: metadata.name, code, functions: new Map() };
    for (const fn of created) library.functions.set(fn.name, { ...fn, library });
    this.link(library);
    if (old !== undefined) this.freeLibrary(old);
    return { name: metadata.name };
  }

  /** Why a library registering `created` cannot be linked, or null. */
  private refusal(created: RegisteredFunction[]): string | null {
    if (created.length === 0) return "No functions registered";
    const taken = created.find((fn) => this.functions.has(fn.name.toLowerCase()));
    return taken === undefined ? null : `Function ${taken.name} already exists`;
  }

  /** FUNCTION DELETE: false when there is no such library. */
  delete(name: string): boolean {
    const library = this.libraries.get(name);
    if (library === undefined) return false;
    this.unlink(library);
    this.freeLibrary(library);
    return true;
  }

  /** `functionsLibCtxClear`: drops every library. */
  clear(): void {
    for (const library of this.libraries.values()) this.freeLibrary(library);
    this.libraries.clear();
    this.functions.clear();
    this.functionsCount = 0;
    this.memory = 0;
  }

  /**
   * `libraryJoin`: moves every library of `source` here. On a library name collision it aborts
   * unless `replace` (then the old library goes, or comes back if the join fails); a function
   * name collision always aborts. On error both sides are as they were.
   */
  join(source: FunctionLibraries, replace: boolean): string | null {
    const replaced: FunctionLibrary[] = [];
    const undo = (error: string): string => {
      for (const library of replaced) this.link(library);
      return error;
    };
    for (const library of source.libraries.values()) {
      const old = this.libraries.get(library.name);
      if (old === undefined) continue;
      if (!replace) return undo(`Library ${library.name} already exists`);
      this.unlink(old);
      replaced.push(old);
    }
    for (const fn of source.functions.values()) {
      if (this.functions.has(fn.name.toLowerCase())) return undo(`Function ${fn.name} already exists`);
    }
    for (const library of source.libraries.values()) this.link(library);
    source.libraries.clear();
    source.functions.clear();
    source.functionsCount = 0;
    source.memory = 0;
    for (const library of replaced) this.freeLibrary(library);
    return null;
  }

  /** `used_memory_functions`'s share of this context: its maps and what `memory` counts. */
  overhead(): number {
    return this.memory + this.functions.size * 24 + this.libraries.size * 24;
  }

  private link(library: FunctionLibrary): void {
    for (const fn of library.functions.values()) {
      // Redis's dictAdd keeps the first of two names differing only in case.
      const key = fn.name.toLowerCase();
      if (!this.functions.has(key)) this.functions.set(key, fn);
      this.memory += functionMemory(fn);
    }
    this.libraries.set(library.name, library);
    this.memory += libraryMemory(library);
    this.functionsCount += library.functions.size;
  }

  private unlink(library: FunctionLibrary): void {
    for (const fn of library.functions.values()) {
      const key = fn.name.toLowerCase();
      if (this.functions.get(key) === fn) this.functions.delete(key);
      this.memory -= functionMemory(fn);
    }
    this.libraries.delete(library.name);
    this.memory -= libraryMemory(library);
    this.functionsCount -= library.functions.size;
  }

  private freeLibrary(library: FunctionLibrary): void {
    for (const fn of library.functions.values()) this.engine.free(fn);
  }
}

function functionMemory(fn: RegisteredFunction): number {
  return FUNCTION_OVERHEAD + fn.name.length + (fn.description?.length ?? 0);
}

function libraryMemory(library: FunctionLibrary): number {
  return LIBRARY_OVERHEAD + library.name.length;
}
