import { splitConfigLine } from "../../config/splitArgs.js";

/** What a library's `#!<engine> name=<name>` first line declares, and the code after it. */
export interface LibraryMetadata {
  readonly engine: string;
  readonly name: string;
  /** The code from the line feed that ends the header on, so Lua's line numbers hold. */
  readonly code: Buffer;
}

/**
 * Redis's `functionExtractLibMetaData`: the header is split with `sdssplitargs` rules (so
 * `name="x"` is `x`) and only `name=` may follow the engine. Returns the error text without ERR.
 */
export function parseLibraryMetadata(payload: Buffer): LibraryMetadata | { error: string } {
  if (payload.length < 2 || payload[0] !== 0x23 || payload[1] !== 0x21) return { error: "Missing library metadata" };
  // Redis's strchr stops at a NUL byte: a header past one is as missing as no line feed.
  const nul = payload.indexOf(0);
  const end = payload.indexOf(0x0a);
  if (end < 0 || (nul >= 0 && nul < end)) return { error: "Invalid library metadata" };
  const parts = splitConfigLine(payload.subarray(0, end).toString("latin1"));
  if (parts === null || parts.length === 0) return { error: "Invalid library metadata" };
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === "name=") {
      if (name !== null) return { error: "Invalid metadata value, name argument was given multiple times" };
      name = part.slice(5);
      continue;
    }
    return { error: `Invalid metadata value given: ${part}` };
  }
  if (name === null) return { error: "Library name was not given" };
  return { engine, name, code: payload.subarray(end) };
}

/** `functionsVerifyName`: letters, digits and underscores, at least one. */
export function validFunctionName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

export const INVALID_NAME_ERROR =
  "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
