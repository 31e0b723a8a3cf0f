import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { validateUserDirective } from "../security/userDirective.js";
import { ConfigError, type ConfigStore } from "./ConfigStore.js";
import { quoteRepr } from "./repr.js";
import { splitConfigLine } from "./splitArgs.js";

export { quoteRepr, splitConfigLine };

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
    const directive = applyDirective(store, name, words.slice(1));
    if (directive !== undefined) {
      if (directive !== null) throw new ConfigFileError(i + 1, line, directive);
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
 * The directives that are not options: `user`, `rename-command` (the file and the command line
 * only, as in Redis) and `loadmodule` (refused: nedis has no modules). Returns null when applied,
 * the error text when refused, undefined when `name` (lowercase) is none of them.
 */
export function applyDirective(store: ConfigStore, name: string, args: string[]): string | null | undefined {
  if (name === "user") return addUserDirective(store, args);
  if (name === "rename-command" && args.length === 2) return store.commandRenames.add(args[0]!, args[1]!);
  if (name === "loadmodule" && args.length >= 1) {
    return `Modules are not supported by nedis: can't load the module '${args[0]}' (remove the loadmodule line)`;
  }
  return undefined;
}

/**
 * nedis's first pass (Redis has none): applies the `strict-config` lines of the config text and
 * of the command-line options before anything else, so the option governs every line wherever
 * it stands. (A `strict-config` inside an included file counts from its place only.)
 * `firstOptionLine` numbers the options after the text, as in error reports.
 */
export function applyStrictConfigFirst(
  store: ConfigStore,
  text: string,
  options: readonly (readonly [string, string[]])[] = [],
  firstOptionLine = text.split("\n").length + 1,
): void {
  const lines = text.split("\n");
  const apply = (lineNumber: number, line: string, words: string[]): void => {
    try {
      store.set(words[0]!, words.slice(1));
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigFileError(lineNumber, line, err.reason);
      throw err;
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (!/^strict-config\b/i.test(line)) continue;
    const words = splitConfigLine(line);
    if (words !== null) apply(i + 1, line, words);
  }
  options.forEach(([name, words], i) => {
    if (name.toLowerCase() === "strict-config")
      apply(firstOptionLine + i, [name, ...words.map(quoteRepr)].join(" "), [name, ...words]);
  });
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
  const text = readConfigFile(path);
  applyStrictConfigFirst(store, text);
  applyConfigText(store, text, dirname(resolve(path)));
}
