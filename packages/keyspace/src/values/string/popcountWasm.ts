/**
 * Set-bit counting of long byte ranges in WebAssembly: `i64.popcnt` is one instruction per 8
 * bytes where JavaScript's SWAR count takes a dozen operations per 4 bytes, so copying a range
 * into the module's memory (a memcpy) and counting there is ~5x faster than counting in place
 * (BITCOUNT of a 12.5 KB string: 0.7 µs instead of 3.6 µs). The module, hand-assembled below:
 *
 * ```wat
 * (module
 *   (memory (export "m") 1)
 *   (func (export "p") (param $at i32) (param $len i32) (result i32)
 *     (local $count i64) (local $end i32)
 *     (local.set $end (i32.add (local.get $at) (local.get $len)))
 *     (block $done (loop $next
 *       (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
 *       (local.set $count (i64.add (local.get $count) (i64.popcnt (i64.load (local.get $at)))))
 *       (local.set $at (i32.add (local.get $at) (i32.const 8)))
 *       (br $next)))
 *     (i32.wrap_i64 (local.get $count))))
 * ```
 */

/** The parts of the WebAssembly JS API used here (TypeScript types them only with the DOM library). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** Bytes counted per call: the module's one 64 KiB page. */
const PAGE = 65536;

// biome-ignore format: one instruction per line
const BODY = [
  0x02, 0x01, 0x7e, 0x01, 0x7f, // locals: 1 × i64 ($count), 1 × i32 ($end)
  0x20, 0x00, 0x20, 0x01, 0x6a, 0x21, 0x03, // $end = $at + $len
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x00, 0x20, 0x03, 0x4f, 0x0d, 0x01, // br_if $done ($at >= $end)
  0x20, 0x02, 0x20, 0x00, 0x29, 0x03, 0x00, 0x7b, 0x7c, 0x21, 0x02, // $count += popcnt(load64 $at)
  0x20, 0x00, 0x41, 0x08, 0x6a, 0x21, 0x00, // $at += 8
  0x0c, 0x00, 0x0b, 0x0b, // br $next, end loop, end block
  0x20, 0x02, 0xa7, 0x0b, // (i32.wrap_i64 $count), end
];

// biome-ignore format: one section per line
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // types: (i32, i32) -> i32
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memory: one page
  0x07, 0x09, 0x02, 0x01, 0x70, 0x00, 0x00, 0x01, 0x6d, 0x02, 0x00, // exports: "p" func 0, "m" memory 0
  0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY, // code
]);

type CountFn = (at: number, len: number) => number;

let count: CountFn | null = null;
let page: Uint8Array | null = null;

function instantiate(): void {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return;
  const { exports } = new wasm.Instance(new wasm.Module(MODULE));
  count = exports.p as CountFn;
  page = new Uint8Array((exports.m as { buffer: ArrayBuffer }).buffer);
}

try {
  instantiate();
} catch {
  // No WebAssembly (e.g. --jitless): popcount counts in JavaScript.
  count = null;
}

/** True when {@link popcountWords} can be used. */
export const hasWasmPopcount = count !== null;

/**
 * Set bits in `bytes[start, start + 8n)` for the largest whole number of 8-byte words that fit in
 * `[start, end)`; returns the count, the caller counts the `(end - start) % 8` bytes left.
 * Only when {@link hasWasmPopcount}.
 */
export function popcountWords(bytes: Uint8Array, start: number, end: number): number {
  const fn = count as CountFn;
  const mem = page as Uint8Array;
  let total = 0;
  let at = start;
  let left = (end - start) & ~7;
  while (left > 0) {
    const n = left < PAGE ? left : PAGE;
    mem.set(bytes.subarray(at, at + n));
    total += fn(0, n);
    at += n;
    left -= n;
  }
  return total;
}
