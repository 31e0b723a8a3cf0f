import type { ServerContext } from "../ServerContext.js";

/**
 * What RDB saving and loading need of the function libraries. The Functions module provides it
 * when it is loaded, so persistence never imports the scripting engine (which imports
 * persistence for its MISCONF check).
 */
export interface FunctionLibraryStore {
  /** Each library's code, header included, as FUNCTION2 records hold it. */
  codes(): Uint8Array[];
  /** Creates a library from a record's code, replacing one of its name when `replace`; the error text or null. */
  load(code: Buffer, replace: boolean): string | null;
}

let provider: ((server: ServerContext) => FunctionLibraryStore) | null = null;

export function provideFunctionLibraries(provide: (server: ServerContext) => FunctionLibraryStore): void {
  provider = provide;
}

/** The server's libraries, or null when no Functions module is loaded. */
export function functionLibrariesOf(server: ServerContext): FunctionLibraryStore | null {
  return provider === null ? null : provider(server);
}
