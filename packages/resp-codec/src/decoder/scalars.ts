import type { FastBuffer } from "../internal/FastBuffer.js";

// Parsers for the text of RESP scalar lines, `buf[start, end)` (CRLF excluded). They return
// `undefined` when the text is malformed; the decoder turns that into a ProtocolError.

/** A count or length: decimal digits only, at most 15 (exact in a double). */
export function parseCount(buf: Uint8Array, start: number, end: number): number | undefined {
  if (start >= end || end - start > 15) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/** `:` integer: optional sign, 1–19 digits. Past ±2^53 the number is rounded, as in other clients. */
export function parseIntegerNumber(buf: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  const sign = buf[i];
  if (sign === 0x2d || sign === 0x2b) i++;
  if (i >= end || end - i > 19) return undefined;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  if (n > Number.MAX_SAFE_INTEGER) n = Number((buf as FastBuffer).latin1Slice(sign === 0x2b ? start + 1 : start, end));
  return sign === 0x2d ? -n : n;
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/** `:` integer or `(` big number as a bigint. */
export function parseBigInt(buf: FastBuffer, start: number, end: number): bigint | undefined {
  const text = buf.latin1Slice(start, end);
  return INTEGER_TEXT.test(text) ? BigInt(text) : undefined;
}

const DOUBLE_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `,` double: decimal or exponent notation, `inf`, `-inf`, `nan` (any case, optional sign). */
export function parseDouble(buf: FastBuffer, start: number, end: number): number | undefined {
  const text = buf.latin1Slice(start, end);
  if (DOUBLE_TEXT.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  if (lower === "nan" || lower === "-nan" || lower === "+nan") return NaN;
  return undefined;
}
