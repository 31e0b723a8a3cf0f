// Throughput of @nedis/rdb (built dist): CRC64 slice-by-8 against a byte-at-a-time table loop
// (Redis's plain crc64 algorithm), LZF compress/decompress, and whole DUMP payloads of small and
// large strings. Prints mitata's report, then MB/s per case.
//
//   pnpm --filter @nedis/rdb build && pnpm --filter @nedis/rdb bench
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { Crc64, dumpString, lzfCompress, lzfDecompress, RdbOutput } from "../dist/index.js";

// Byte-at-a-time CRC-64/Jones with 32-bit halves: the baseline slice-by-8 has to beat.
const TLO = new Uint32Array(256);
const THI = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const c = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi >>>= 1;
    if (c) {
      lo = (lo ^ 0xac4bc9b5) >>> 0;
      hi = (hi ^ 0x95ac9329) >>> 0;
    }
  }
  TLO[n] = lo;
  THI[n] = hi;
}
function crcBytewise(bytes) {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < bytes.length; i++) {
    const t = (lo ^ bytes[i]) & 0xff;
    lo = TLO[t] ^ ((lo >>> 8) | (hi << 24));
    hi = THI[t] ^ (hi >>> 8);
  }
  return lo ^ hi;
}

function textLike(size, seed) {
  const words = ["redis", "the", "key", "value", "of", "listpack", "nedis", "a", "compress", "dump", "restore", "and"];
  let x = seed;
  let s = "";
  while (s.length < size) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += words[(x >>> 0) % words.length] + " ";
  }
  return new TextEncoder().encode(s.slice(0, size));
}

const MiB = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
const text16k = textLike(16 * 1024, 7);
const packed = new Uint8Array(text16k.length);
const packedLength = lzfCompress(text16k, 0, text16k.length, packed, 0, packed.length);
const unpacked = new Uint8Array(text16k.length);
const small = new TextEncoder().encode("user:1000:session-token");
const crc = new Crc64();
const out = new RdbOutput(64 * 1024);

const cases = [];
summary(() => {
  group("CRC64 of 1 MiB", () => {
    cases.push(["crc64 slice-by-8, 1 MiB", MiB.length]);
    bench("crc64 slice-by-8, 1 MiB", () => do_not_optimize(crc.reset().update(MiB).lo));
    cases.push(["crc64 byte at a time, 1 MiB", MiB.length]);
    bench("crc64 byte at a time, 1 MiB", () => do_not_optimize(crcBytewise(MiB)));
  });
});
group("LZF, 16 KiB of text", () => {
  cases.push(["lzf compress 16 KiB text", text16k.length]);
  bench("lzf compress 16 KiB text", () =>
    do_not_optimize(lzfCompress(text16k, 0, text16k.length, packed, 0, packed.length)),
  );
  cases.push(["lzf decompress 16 KiB text", text16k.length]);
  bench("lzf decompress 16 KiB text", () =>
    do_not_optimize(lzfDecompress(packed, 0, packedLength, unpacked, 0, unpacked.length)),
  );
});
group("DUMP payloads", () => {
  cases.push(["dumpString 23 B", small.length]);
  bench("dumpString 23 B", () => {
    out.reset();
    dumpString(out, small, 0, small.length);
    do_not_optimize(out.length);
  });
  cases.push(["dumpString 16 KiB text (LZF + CRC)", text16k.length]);
  bench("dumpString 16 KiB text (LZF + CRC)", () => {
    out.reset();
    dumpString(out, text16k, 0, text16k.length);
    do_not_optimize(out.length);
  });
});

const result = await run();
console.log("\ncase | ops/s (median) | MB/s of input");
for (const b of result.benchmarks) {
  for (const r of b.runs) {
    const size = cases.find(([name]) => name === r.name)?.[1] ?? 0;
    const avgNs = r.stats?.p50 ?? NaN; // the median: the machine is shared and noisy
    console.log(`${r.name} | ${Math.round(1e9 / avgNs).toLocaleString("en")} | ${((size / avgNs) * 1e3).toFixed(0)}`);
  }
}
