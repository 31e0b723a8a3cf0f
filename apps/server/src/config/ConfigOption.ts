/**
 * The shape of one config option. Every option is declared once (see `options.ts`); the table
 * drives the config file, the command line, CONFIG GET/SET/REWRITE and INFO.
 */

/** A parsed value, or the reason it was rejected (Redis's wording, used in every error path). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** What a parser may look at besides the words: the value it replaces. */
export interface ParseContext<T> {
  /** The current value (`client-output-buffer-limit` only replaces the classes it names). */
  current: T;
  /**
   * True while loading a config file when this option was already set earlier in the load:
   * `save` lines then add to each other instead of replacing (Redis's `reading_config_file`).
   */
  appending: boolean;
  /** True for CONFIG SET, where Redis's apply functions may adjust a value (`repl-backlog-size`). */
  command: boolean;
}

/** One line CONFIG REWRITE wants in the file, and whether it must be written if absent. */
export interface RewriteLine {
  line: string;
  /** True when the value differs from the default: the line is appended if the file lacks one. */
  force: boolean;
}

export interface ConfigKind<T> {
  /** Parses the words after the option name; never has side effects. */
  parse(words: readonly string[], context: ParseContext<T>): ParseResult<T>;
  /** How CONFIG GET prints the value. */
  format(value: T): string;
  /**
   * The lines CONFIG REWRITE writes for `name` (`[]` removes the option's lines from the file).
   * Absent: `name <format(value)>`, forced when it differs from the default's text.
   */
  rewrite?(name: string, value: T, defaultValue: T): RewriteLine[];
}

/**
 * Whether nedis acts on an option (issue 24: every option is honest).
 * - implemented: the value takes effect as in Redis.
 * - inert: accepted with any valid value and echoed by CONFIG GET, but it only tunes a Redis
 *   internal nedis does not have; no value can change what a client sees.
 * - not yet supported: the subsystem is missing. Only the default and the `off` values (texts
 *   as written in a config file, e.g. `replicaof no one`) are accepted; anything else is refused
 *   by CONFIG SET, and by the config file and command line unless `strict-config no`.
 */
export type OptionStatus =
  | { readonly kind: "implemented" }
  | { readonly kind: "inert" }
  | { readonly kind: "not yet supported"; readonly off: readonly string[] };

export const implemented: OptionStatus = { kind: "implemented" };
export const inert: OptionStatus = { kind: "inert" };
/** Not yet supported; `off` lists the other values that mean "off" (the default always does). */
export const notYetSupported = (...off: string[]): OptionStatus => ({ kind: "not yet supported", off });

export interface ConfigOption<T = unknown> {
  name: string;
  /** Whether nedis acts on the value; see {@link OptionStatus}. */
  status: OptionStatus;
  /** Other names (Redis has at most one: `slaveof` for `replicaof`, `hash-max-ziplist-*`, …). */
  aliases?: readonly string[];
  kind: ConfigKind<T>;
  /** The default, written as in redis.conf (words separated by spaces for multi-word options). */
  defaultText: string;
  /** False for options only settable at startup (CONFIG SET: `can't set immutable config`). */
  mutable: boolean;
  /** Settable by CONFIG SET only as `enable-protected-configs` allows (`dir`, `dbfilename`). */
  protected?: boolean;
  /** Not listed by CONFIG GET patterns, only by its exact name (Redis's debugging knobs). */
  hidden?: boolean;
  /** Takes several words (`save`, `bind`, …): CONFIG SET splits its value at spaces. */
  multiArg?: boolean;
  /**
   * nedis's own option (`strict-config`): not in Redis, so CONFIG GET patterns skip it (clients
   * comparing `CONFIG GET *` with Redis see Redis's list); the docs and nedis.conf show it.
   */
  nedisOnly?: boolean;
  /** Holds a secret (`requirepass`, `masterauth`): never to be logged. */
  sensitive?: boolean;
  /**
   * Runs the option's effect on the process when a value is committed (`dir` changes the
   * working directory). Returns an error text to refuse the value; CONFIG SET then rolls back.
   */
  effect?(value: T): string | null;
}

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = (error: string): ParseResult<never> => ({ ok: false, error });

/**
 * Declares an option with its status (required: no option exists without saying whether nedis
 * acts on it); the generic ties the kind to the effect's value type.
 */
export function option<T>(
  name: string,
  status: OptionStatus,
  kind: ConfigKind<T>,
  defaultText: string,
  flags: Omit<ConfigOption<T>, "name" | "status" | "kind" | "defaultText" | "mutable"> & { mutable?: boolean } = {},
): ConfigOption {
  return { name, status, kind, defaultText, mutable: true, ...flags } as ConfigOption;
}
