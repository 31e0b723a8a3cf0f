import type { RespAttributed, RespVerbatim } from "./RespValue.js";

/** How the decoder turns RESP into JS values. */
export interface RespDecoderOptions {
  /** Bulk, simple and verbatim strings: UTF-8 decoded (default), latin1 (one char per byte) or Buffers (copies). */
  strings?: "utf8" | "latin1" | "buffer";
  /** RESP3 maps (and attributes) as `Map` (default) or plain objects with string keys. */
  maps?: "map" | "object";
  /** RESP3 sets as `Set` (default) or arrays. */
  sets?: "set" | "array";
  /** Integers as `number` (default; rounded past ±2^53) or `bigint`. */
  integers?: "number" | "bigint";
  /** Verbatim strings as their text (default) or as {@link RespVerbatim} with the format. */
  verbatim?: "string" | "object";
  /** RESP3 attributes: dropped (default) or kept by wrapping the value in {@link RespAttributed}. */
  attributes?: "discard" | "wrap";
  /** Largest bulk string accepted. Default 512 MB. */
  maxBulkLength?: number;
  /** Longest line (simple string, error, number) accepted. Default 16 MB. */
  maxLineLength?: number;
}
