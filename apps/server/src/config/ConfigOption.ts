/**
 * The shape of one config option. Every option is declared once (see `options.ts`); the table
 * drives the config file, the command line, CONFIG GET/SET and INFO.
 */

/** A parsed value, or the reason it was rejected (Redis's wording, used in every error path). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ConfigKind<T> {
  /** Parses the words after the option name (one word for most options). */
  parse(words: readonly string[]): ParseResult<T>;
  /** How CONFIG GET and CONFIG REWRITE print the value. */
  format(value: T): string;
}

export interface ConfigOption<T = unknown> {
  name: string;
  aliases?: readonly string[];
  kind: ConfigKind<T>;
  /** The default, written as in redis.conf. */
  defaultText: string;
  /** False for options only settable at startup (CONFIG SET answers an error). */
  mutable: boolean;
  /** Redis hides some options from CONFIG GET * (none so far); kept for table fidelity. */
  hidden?: boolean;
}

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = (error: string): ParseResult<never> => ({ ok: false, error });

const MEMORY_UNITS: Record<string, number> = {
  "": 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3,
};

/** Redis's `memtoull`: an integer with an optional unit (k, kb, m, mb, g, gb; case-insensitive). */
export function parseMemory(text: string): number | null {
  const m = /^(-?\d+)([a-z]*)$/i.exec(text);
  if (!m) return null;
  const unit = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : null;
}

function single<T>(words: readonly string[], parse: (w: string) => ParseResult<T>): ParseResult<T> {
  if (words.length !== 1) return fail("wrong number of arguments");
  return parse(words[0]!);
}

export function boolKind(): ConfigKind<boolean> {
  return {
    parse: (words) =>
      single(words, (w) => {
        const v = w.toLowerCase();
        if (v === "yes") return ok(true);
        if (v === "no") return ok(false);
        return fail("argument must be 'yes' or 'no'");
      }),
    format: (v) => (v ? "yes" : "no"),
  };
}

export function intKind(min: number, max: number): ConfigKind<number> {
  return {
    parse: (words) =>
      single(words, (w) => {
        if (!/^-?\d+$/.test(w)) return fail("argument couldn't be parsed into an integer");
        const n = Number(w);
        if (n < min || n > max) return fail(`argument must be between ${min} and ${max} inclusive`);
        return ok(n);
      }),
    format: (v) => String(v),
  };
}

export function memoryKind(min: number, max: number): ConfigKind<number> {
  return {
    parse: (words) =>
      single(words, (w) => {
        const n = parseMemory(w);
        if (n === null) return fail("argument must be a memory value");
        if (n < min || n > max) return fail(`argument must be between ${min} and ${max} inclusive`);
        return ok(n);
      }),
    format: (v) => String(v),
  };
}

export function enumKind<E extends string>(values: readonly E[]): ConfigKind<E> {
  return {
    parse: (words) =>
      single(words, (w) => {
        const v = w.toLowerCase() as E;
        if (values.includes(v)) return ok(v);
        return fail(`argument(s) must be one of the following: ${values.join(", ")}`);
      }),
    format: (v) => v,
  };
}

export function stringKind(): ConfigKind<string> {
  return { parse: (words) => single(words, (w) => ok(w)), format: (v) => v };
}
