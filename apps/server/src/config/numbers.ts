/**
 * Redis's number parsers and printers for config values (`util.c`): the exact rules decide which
 * values CONFIG SET accepts and how CONFIG GET / REWRITE print them. 64-bit values are parsed as
 * bigint so bounds checks and error texts match Redis to the last digit.
 */

const U64 = 1n << 64n;
export const U64_MAX = U64 - 1n;
export const I64_MAX = (1n << 63n) - 1n;
export const I64_MIN = -(1n << 63n);

/** `string2ll`: optional `-`, no leading zeros, no sign `+`, no spaces; null when invalid or out of 64-bit range. */
export function string2ll(text: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return null;
  const n = BigInt(text);
  return n < I64_MIN || n > I64_MAX ? null : n;
}

const MEMORY_UNITS: Record<string, bigint> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n ** 2n,
  mb: 1024n ** 2n,
  g: 1000n ** 3n,
  gb: 1024n ** 3n,
};

/**
 * `memtoull`: digits with an optional unit (b, k, kb, m, mb, g, gb; any case). Like Redis 7.0:
 * no digits reads as 0 (`""`, `"mb"`), leading zeros are fine, the digits saturate at 2^64-1
 * (`strtoull`) and the product wraps modulo 2^64. Null for a sign or an unknown unit.
 */
export function memtoull(text: string): bigint | null {
  const m = /^([0-9]*)(.*)$/s.exec(text)!;
  const unit = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined || m[1]!.length >= 128) return null;
  let digits = m[1] === "" ? 0n : BigInt(m[1]!);
  if (digits > U64_MAX) digits = U64_MAX;
  return (digits * unit) % U64;
}

/** Redis's `memtoull` as a plain number, for callers outside the config table; null when invalid. */
export function parseMemory(text: string): number | null {
  const n = memtoull(text);
  return n === null ? null : Number(n);
}

/**
 * `string2d` (a `strtod` that must consume the whole text): decimal and hex numbers, `inf`,
 * `infinity`; no leading space, no NaN, no overflow. Null when invalid.
 */
export function string2d(text: string): number | null {
  if (text === "" || /^\s/.test(text)) return null;
  let value: number;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) value = Number(text);
  else if (/^[+-]?0x[0-9a-f]+$/i.test(text))
    value = (text.startsWith("-") ? -1 : 1) * parseInt(text.replace(/^[+-]?0x/i, ""), 16);
  else if (/^[+-]?inf(inity)?$/i.test(text)) value = text.startsWith("-") ? -Infinity : Infinity;
  else return null;
  // strtod reports ERANGE for a finite literal that overflows: Redis rejects it.
  if (!Number.isFinite(value) && !/inf/i.test(text)) return null;
  return value;
}

/** `printf("%f")` then `trimDoubleString`: six decimals, trailing zeros and dot removed. */
export function formatPercentile(value: number): string {
  let text = Object.is(value, -0) ? "-0.000000" : value.toFixed(6);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text;
}

/** `rewriteConfigFormatMemory`: the largest of gb, mb, kb that divides the value exactly. */
export function formatMemoryForRewrite(value: number | bigint): string {
  const bytes = BigInt(value);
  const gb = 1024n ** 3n;
  const mb = 1024n ** 2n;
  if (bytes !== 0n && bytes % gb === 0n) return `${bytes / gb}gb`;
  if (bytes !== 0n && bytes % mb === 0n) return `${bytes / mb}mb`;
  if (bytes !== 0n && bytes % 1024n === 0n) return `${bytes / 1024n}kb`;
  return String(bytes);
}

/** `strtoll(text, &end, 10)` with `*end == '\0'`: C's lenient parse (leading space, `+`, zeros). */
export function strtollWhole(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(text);
  if (m === null) return text === "" ? 0 : null;
  const n = BigInt(m[1]!);
  return Number(n > I64_MAX ? I64_MAX : n < I64_MIN ? I64_MIN : n);
}
