// One benchmark case in a process of its own, so its RSS is clean:
//   node --expose-gc --trace-gc bench/case.mjs <map-buffer|map-string|kv-pool> <entries>
// Prints V8's GC trace lines (parsed by run.mjs) and one "RESULT {json}" line.
//
// Every store starts from bytes, as a server does: the key "key:N" and its 16-byte value are
// written into scratch buffers, then the Map variants turn them into a string / Buffer while the
// kv-pool variant copies the bytes into the pool (indexed by the bench fixture BenchHashIndex).

import { KvPool } from "../dist/kv-pool/index.js";
import { BenchHashIndex } from "./BenchHashIndex.mjs";

const [impl, entriesArg] = process.argv.slice(2);
const entries = Number(entriesArg);
const OVERWRITE_ROUNDS = 10;
const VALUE_LENGTH = 16;
/** Visits every key once in a scattered order: i -> i * STRIDE mod entries (coprime to 10^k). */
const STRIDE = 1_000_003;

const keyScratch = Buffer.alloc(32);
const valueScratch = Buffer.alloc(VALUE_LENGTH);
const KEY_PREFIX = [0x6b, 0x65, 0x79, 0x3a]; // "key:"

/** Writes "key:<n>" into keyScratch; returns its length. */
function writeKey(n) {
  for (let i = 0; i < 4; i++) keyScratch[i] = KEY_PREFIX[i];
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = n;
  for (let i = 4 + digits - 1; i >= 4; i--) {
    keyScratch[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return 4 + digits;
}

/** Writes the value of key n in overwrite round r; byte 0 is (n + r) & 0xff so reads can be checked. */
function writeValue(n, round) {
  valueScratch[0] = (n + round) & 0xff;
  for (let i = 1; i < VALUE_LENGTH; i++) valueScratch[i] = 0x61 + ((n + i * 7 + round) % 26);
}

function makeStore() {
  if (impl === "map-buffer") {
    const map = new Map();
    return {
      set(keyLength) {
        const value = Buffer.allocUnsafe(VALUE_LENGTH);
        valueScratch.copy(value);
        map.set(keyScratch.toString("latin1", 0, keyLength), value);
      },
      firstByte(keyLength) {
        return map.get(keyScratch.toString("latin1", 0, keyLength))[0];
      },
      delete(keyLength) {
        return map.delete(keyScratch.toString("latin1", 0, keyLength));
      },
      extra: () => ({}),
    };
  }
  if (impl === "map-string") {
    const map = new Map();
    return {
      set(keyLength) {
        map.set(keyScratch.toString("latin1", 0, keyLength), valueScratch.toString("latin1", 0, VALUE_LENGTH));
      },
      firstByte(keyLength) {
        return map.get(keyScratch.toString("latin1", 0, keyLength)).charCodeAt(0);
      },
      delete(keyLength) {
        return map.delete(keyScratch.toString("latin1", 0, keyLength));
      },
      extra: () => ({}),
    };
  }
  if (impl === "kv-pool") {
    const pool = new KvPool();
    const index = new BenchHashIndex(pool, entries);
    return {
      set(keyLength) {
        if (!index.set(keyScratch, 0, keyLength, valueScratch, 0, VALUE_LENGTH)) throw new Error("out of memory");
      },
      firstByte(keyLength) {
        return pool.bytesAt(index.values, index.slotOf(keyScratch, 0, keyLength))[pool.lastOffset];
      },
      delete(keyLength) {
        return index.delete(keyScratch, 0, keyLength);
      },
      extra: () => {
        const s = pool.stats();
        return {
          poolUsedBytes: s.usedBytes,
          poolHeldBytes: s.heldBytes,
          poolFragmentation: s.fragmentationRatio,
          indexBytes: index.tableBytes,
        };
      },
    };
  }
  throw new Error(`unknown case ${impl}`);
}

function settle() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage();
}

function opsPerSecond(count, started) {
  return count / ((performance.now() - started) / 1000);
}

const baseline = settle();
const store = makeStore();

let started = performance.now();
for (let n = 0; n < entries; n++) {
  writeValue(n, 0);
  store.set(writeKey(n));
}
const insertOps = opsPerSecond(entries, started);
const loaded = settle();

started = performance.now();
let mismatches = 0;
for (let j = 0; j < entries; j++) {
  const n = (j * STRIDE) % entries;
  if (store.firstByte(writeKey(n)) !== (n & 0xff)) mismatches++;
}
const lookupOps = opsPerSecond(entries, started);

started = performance.now();
for (let round = 1; round <= OVERWRITE_ROUNDS; round++) {
  for (let n = 0; n < entries; n++) {
    writeValue(n, round);
    store.set(writeKey(n));
  }
}
const overwriteOps = opsPerSecond(entries * OVERWRITE_ROUNDS, started);
for (let n = 0; n < entries; n += 997)
  if (store.firstByte(writeKey(n)) !== ((n + OVERWRITE_ROUNDS) & 0xff)) mismatches++;
const churned = settle();
const extra = store.extra();

started = performance.now();
for (let j = 0; j < entries; j++) if (!store.delete(writeKey((j * STRIDE) % entries))) mismatches++;
const deleteOps = opsPerSecond(entries, started);

const perEntry = (after, field) => (after[field] - baseline[field]) / entries;
console.log(
  "RESULT " +
    JSON.stringify({
      impl,
      entries,
      mismatches,
      rssPerEntry: perEntry(loaded, "rss"),
      heapPerEntry: perEntry(loaded, "heapUsed"),
      arrayBuffersPerEntry: perEntry(loaded, "arrayBuffers"),
      rssLoaded: loaded.rss,
      rssAfterChurn: churned.rss,
      insertOps,
      lookupOps,
      overwriteOps,
      deleteOps,
      ...extra,
    }),
);
