import { type ConfigKind, fail, ok, type ParseResult, type RewriteLine } from "./ConfigOption.js";
import { formatMemoryForRewrite, I64_MAX, I64_MIN, memtoull, string2ll, U64_MAX } from "./numbers.js";
import { quoteRepr } from "./repr.js";

/**
 * The generic option kinds of Redis's `config.c` (bool, numeric, enum, string), each with
 * Redis's parse rules, error texts, CONFIG GET format and CONFIG REWRITE line.
 */

export const INT_MIN = -2147483648n;
export const INT_MAX = 2147483647n;
export const UINT_MAX = 4294967295n;
export const LONG_MAX = I64_MAX;
export const LLONG_MIN = I64_MIN;
export const LLONG_MAX = I64_MAX;
export const ULLONG_MAX = U64_MAX;
export const SSIZE_MAX = I64_MAX;

const single = (name: string, value: string, force: boolean): RewriteLine[] => [{ line: `${name} ${value}`, force }];

/** `yes` / `no` (any case). `validate` refuses a value with a reason (e.g. `activedefrag`). */
export function boolKind(validate?: (value: boolean) => string | null): ConfigKind<boolean> {
  return {
    parse([word]) {
      const v = word!.toLowerCase();
      if (v !== "yes" && v !== "no") return fail("argument must be 'yes' or 'no'");
      const error = validate?.(v === "yes") ?? null;
      return error === null ? ok(v === "yes") : fail(error);
    },
    format: (v) => (v ? "yes" : "no"),
    rewrite: (name, v, d) => single(name, v ? "yes" : "no", v !== d),
  };
}

export interface NumericSpec {
  min: bigint;
  max: bigint;
  /**
   * Redis compares `unsigned int`, `unsigned long long` and `size_t` options as unsigned: `-1`
   * then reads as 2^64-1 and fails the upper bound instead of the lower one.
   */
  unsigned?: boolean;
  /** Accepts memory units (`64mb`); CONFIG REWRITE prints them back in gb/mb/kb. */
  memory?: boolean;
  /** Accepts `N%` too, stored as `-N` (Redis's convention, e.g. `maxmemory-clients 10%`). */
  percent?: boolean;
  /** Written in octal (`unixsocketperm 700`). */
  octal?: boolean;
  /** Accepted values outside this range are brought into it (`hz` is kept within 1..500). */
  clamp?: readonly [number, number];
  /** Like `clamp`, but only for CONFIG SET (Redis does it in the option's apply function). */
  commandClamp?: readonly [number, number];
}

/**
 * Redis's numeric configs (`numericParseString` + `numericBoundaryCheck`). Values are numbers;
 * one beyond 2^53 keeps its exact 64-bit digits for CONFIG GET and REWRITE (`exact`).
 */
export function numericKind(spec: NumericSpec): ConfigKind<number> {
  const exact = new Map<number, bigint>();
  const digits = (v: number): bigint => exact.get(v) ?? BigInt(v);
  return {
    parse([word], { command }) {
      const parsed = parseNumeric(spec, word!);
      if (!parsed.ok) return parsed;
      const error = checkBounds(spec, parsed.value);
      if (error !== null) return fail(error);
      const big = spec.unsigned ? BigInt.asUintN(64, parsed.value) : parsed.value;
      let n = Number(big);
      if (!Number.isSafeInteger(n)) exact.set(n, big);
      const clamp = spec.clamp ?? (command ? spec.commandClamp : undefined);
      if (clamp) n = Math.min(Math.max(n, clamp[0]), clamp[1]);
      return ok(n);
    },
    format(v) {
      if (spec.percent && v < 0) return `${-v}%`;
      return spec.octal ? v.toString(8) : digits(v).toString();
    },
    rewrite(name, v, d) {
      if (spec.percent && v < 0) return single(name, `${-v}%`, -v !== d);
      if (spec.memory) return single(name, formatMemoryForRewrite(digits(v)), v !== d);
      return single(name, spec.octal ? v.toString(8) : digits(v).toString(), v !== d);
    },
  };
}

/** Plain integer option between `min` and `max` (signed comparison). */
export const intKind = (min: bigint, max: bigint): ConfigKind<number> => numericKind({ min, max });

/** Memory option (`100mb`) between `min` and `max`. */
export const memoryKind = (min: bigint, max: bigint, unsigned = false): ConfigKind<number> =>
  numericKind({ min, max, memory: true, unsigned });

function parseNumeric(spec: NumericSpec, text: string): ParseResult<bigint> {
  if (spec.memory) {
    const n = memtoull(text);
    if (n !== null) return ok(BigInt.asIntN(64, n));
  }
  if (spec.percent && text.length > 1 && text.endsWith("%")) {
    const n = string2ll(text.slice(0, -1));
    if (n !== null && n >= 0n) return ok(-n);
  }
  if (spec.octal) {
    // strtoll(value, &end, 8): leading blanks and a sign are fine, the rest must be octal digits.
    const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]*)$/.exec(text);
    if (m !== null) {
      const n = (m[1] === "-" ? -1n : 1n) * (m[2] === "" ? 0n : BigInt(`0o${m[2]}`));
      if (n >= I64_MIN && n <= I64_MAX) return ok(n);
    }
  }
  if (!spec.memory && !spec.percent && !spec.octal) {
    const n = string2ll(text);
    if (n !== null) return ok(n);
  }
  if (spec.memory && spec.percent) return fail("argument must be a memory or percent value");
  if (spec.memory) return fail("argument must be a memory value");
  if (spec.octal) return fail("argument couldn't be parsed as an octal number");
  return fail("argument couldn't be parsed into an integer");
}

function checkBounds(spec: NumericSpec, n: bigint): string | null {
  if (spec.unsigned) {
    const u = BigInt.asUintN(64, n);
    const lo = BigInt.asUintN(64, spec.min);
    const hi = BigInt.asUintN(64, spec.max);
    if (u >= lo && u <= hi) return null;
    const print = (b: bigint) => (spec.octal ? b.toString(8) : b.toString());
    return `argument must be between ${print(lo)} and ${print(hi)} inclusive`;
  }
  if (spec.percent && n < 0n) {
    return n < spec.min ? `percentage argument must be less or equal to ${-spec.min}` : null;
  }
  if (n >= spec.min && n <= spec.max) return null;
  return `argument must be between ${spec.min} and ${spec.max} inclusive`;
}

/**
 * One of a fixed set of names (any case). Redis prints a value by its first name, so
 * `oom-score-adj relative` reads back as `yes`: `sameAs` maps such synonyms to that name.
 */
export function enumKind<E extends string>(
  names: readonly E[],
  options: { sameAs?: Partial<Record<E, E>>; defaultName?: E } = {},
): ConfigKind<E> {
  const error = `argument(s) must be one of the following: ${names.join(", ")}`.slice(0, 255);
  return {
    parse(words) {
      if (words.length !== 1) return fail(error);
      const v = words[0]!.toLowerCase() as E;
      if (!names.includes(v)) return fail(error);
      return ok(options.sameAs?.[v] ?? v);
    },
    format: (v) => v,
    rewrite: (name, v, d) => single(name, v, v !== d),
  };
}

/**
 * Several names combined as bit flags (`shutdown-on-sigint nosave now`), stored as the canonical
 * text Redis prints: the names in table order, `flags[0]` (value 0) alone when none is set.
 */
export function flagsEnumKind(
  flags: readonly (readonly [name: string, bit: number])[],
  validate?: (bits: number) => string | null,
): ConfigKind<string> {
  const error = `argument(s) must be one of the following: ${flags.map(([n]) => n).join(", ")}`.slice(0, 255);
  const toText = (bits: number): string => {
    const exact = flags.find(([, b]) => b === bits);
    if (exact) return exact[0];
    const names = flags.filter(([, b]) => b !== 0 && (bits & b) === b).map(([n]) => n);
    return names.length > 0 ? names.join(" ") : "unknown";
  };
  return {
    parse(words) {
      if (words.length === 0) return fail(error);
      let bits = 0;
      for (const word of words) {
        const hit = flags.find(([n]) => n === word.toLowerCase());
        if (!hit) return fail(error);
        bits |= hit[1];
      }
      const invalid = validate?.(bits) ?? null;
      return invalid === null ? ok(toText(bits)) : fail(invalid);
    },
    format: (v) => v,
    rewrite: (name, v, d) => single(name, v, v !== d),
  };
}

export interface StringSpec {
  /**
   * Redis stores `""` as NULL for most string options (`EMPTY_STRING_IS_NULL`): CONFIG REWRITE
   * then drops the option from the file instead of writing `name ""`.
   */
  emptyIsNull?: boolean;
  validate?: (value: string) => string | null;
}

/** A free-form string option, optionally validated. */
export function stringKind(spec: StringSpec = {}): ConfigKind<string> {
  return {
    parse([word]) {
      const error = spec.validate?.(word!) ?? null;
      return error === null ? ok(word!) : fail(error);
    },
    format: (v) => v,
    rewrite(name, v, d) {
      if (spec.emptyIsNull && v === "") return [];
      // A NULL default (empty) forces any value into the file; a real default only when changed.
      const force = spec.emptyIsNull && d === "" ? true : v !== d;
      return single(name, quoteRepr(v), force);
    },
  };
}
