import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { validateUserDirective } from "../security/userDirective.js";
import { ConfigError, type ConfigStore } from "./ConfigStore.js";
import { splitConfigLine } from "./splitArgs.js";

export { quoteRepr } from "./repr.js";
export { splitConfigLine };

/** A config line that could not be applied, reported the way Redis reports it, then fatal. */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
  constructor(
    readonly lineNumber: number,
    readonly line: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Applies redis.conf text: one directive per line, `#` comments, quoted arguments, `include`.
 * `baseDir` resolves relative includes.
 */
export function applyConfigText(store: ConfigStore, text: string, baseDir = process.cwd(), depth = 0): void {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (line === "" || line.startsWith("#")) continue;
    const words = splitConfigLine(line);
    if (words === null) throw new ConfigFileError(i + 1, line, "Unbalanced quotes in configuration line");
    if (words.length === 0) continue;
    const name = words[0]!.toLowerCase();
    if (name === "include" && words.length === 2) {
      if (depth > 16) throw new ConfigFileError(i + 1, line, "Too many nested includes");
      const path = resolve(baseDir, words[1]!);
      applyConfigText(store, readIncludedFile(path, i + 1, line), dirname(path), depth + 1);
      continue;
    }
    if (name === "user") {
      const error = addUserDirective(store, words.slice(1));
      if (error !== null) throw new ConfigFileError(i + 1, line, error);
      continue;
    }
    try {
      store.set(name, words.slice(1));
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigFileError(i + 1, line, err.reason);
      throw err;
    }
  }
}

/**
 * A `user <name> <rules…>` line (from the file or a `--user` option): ACL users are created by
 * the server at startup; the loader only checks and keeps them. Returns the config error, or null.
 */
export function addUserDirective(store: ConfigStore, words: string[]): string | null {
  const error = validateUserDirective(words, store.userDirectives);
  if (error === null) store.userDirectives.push(words);
  return error;
}

function readIncludedFile(path: string, lineNumber: number, line: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch (err) {
    throw new ConfigFileError(
      lineNumber,
      line,
      `Fatal error, can't open config file '${path}': ${(err as Error).message}`,
    );
  }
}

/** Reads the config file named on the command line. */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch (err) {
    throw new ConfigFileError(
      0,
      "",
      `Fatal error, can't open config file '${resolve(path)}': ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "No such file or directory" : (err as Error).message}`,
    );
  }
}

/** Loads a config file by path. */
export function applyConfigFile(store: ConfigStore, path: string): void {
  applyConfigText(store, readConfigFile(path), dirname(resolve(path)));
}
