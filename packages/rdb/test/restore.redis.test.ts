import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, type Reply, startRedis } from "../../../test-support/redisServer.js";
import { RDB_VERSION, RdbType } from "../src/constants.js";
import {
  BAD_DATA_FORMAT_ERROR,
  beginDumpPayload,
  DUMP_PAYLOAD_ERROR,
  dumpIntegerString,
  dumpString,
  verifyDumpPayload,
  writeDumpFooter,
} from "../src/dumpPayload.js";
import { RdbFormatError } from "../src/RdbFormatError.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { RdbReader } from "../src/RdbReader.js";
import { writeString } from "../src/stringEncoding.js";
import { anyBytes } from "./utils/arbitraries.js";
import { hex, latin1 } from "./utils/bytes.js";
import { buildListpack, type Entry, encodeDump } from "./utils/dumpModel.js";

function dump(bytes: Uint8Array): Uint8Array {
  const out = new RdbOutput(64);
  dumpString(out, bytes, 0, bytes.length);
  return out.view().slice();
}

const text = (r: Reply): string =>
  r instanceof Error ? `-${r.message}` : Buffer.isBuffer(r) ? r.toString("latin1") : String(r);

describe.skipIf(!hasRedisServer)("DUMP payloads against a real redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("RESTOREs our string payloads, and DUMPs them back byte for byte", async () => {
    const values = [
      ...fc.sample(anyBytes, { numRuns: 300, seed: 1 }),
      ...["0", "-1", "127", "128", "32768", "-2147483648", "2147483648", "01", "+5", "9223372036854775807"].map(latin1),
    ];
    const payloads = values.map(dump);
    const restored = payloads.map((p, i) => redis.call("RESTORE", `s${i}`, "0", p, "REPLACE"));
    const got = values.map((_, i) => redis.call("GET", `s${i}`));
    const dumped = values.map((_, i) => redis.call("DUMP", `s${i}`));
    for (const r of await Promise.all(restored)) expect(text(r)).toBe("OK");
    (await Promise.all(got)).forEach((r, i) => expect(hex(r as Buffer)).toBe(hex(values[i]!)));
    (await Promise.all(dumped)).forEach((r, i) => expect(hex(r as Buffer)).toBe(hex(payloads[i]!)));
  });

  it("dumps integers the way Redis dumps int-encoded strings", async () => {
    const ints = fc.sample(fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })), {
      numRuns: 100,
      seed: 2,
    });
    const sets = ints.map((v, i) => redis.call("SET", `i${i}`, v.toString()));
    const dumped = ints.map((_, i) => redis.call("DUMP", `i${i}`));
    await Promise.all(sets);
    (await Promise.all(dumped)).forEach((r, i) => {
      const out = new RdbOutput(8);
      dumpIntegerString(out, ints[i]!);
      expect(hex(r as Buffer)).toBe(hex(out.view()));
    });
  });

  it("agrees with RESTORE on which payloads have a wrong version or checksum", async () => {
    const samples = fc.sample(fc.tuple(anyBytes, fc.nat(), fc.nat({ max: 7 })), { numRuns: 150, seed: 3 });
    const payloads = samples.map(([bytes, at, bit]) => {
      const p = dump(bytes);
      const i = at % p.length;
      p[i] = p[i]! ^ (1 << bit);
      return p;
    });
    const newer = dump(latin1("v"));
    newer[newer.length - 10] = RDB_VERSION + 1;
    payloads.push(newer, new Uint8Array(9));
    const replies = await Promise.all(payloads.map((p, i) => redis.call("RESTORE", `c${i}`, "0", p, "REPLACE")));
    replies.forEach((r, i) => {
      expect(verifyDumpPayload(payloads[i]!)).toBe(-1);
      expect(text(r)).toBe(`-${DUMP_PAYLOAD_ERROR}`);
    });
  });

  it("agrees with RESTORE on payloads with a good footer whose value does not load", async () => {
    const bodies = ["0020616263", "00c4", "00c3051501616120ff00", "1d00"].map((h) => Buffer.from(h, "hex"));
    for (const body of bodies) {
      const out = new RdbOutput(16);
      out.writeBytes(body);
      writeDumpFooter(out, 0);
      const payload = out.view().slice();
      expect(verifyDumpPayload(payload)).toBe(RDB_VERSION);
      const reader = new RdbReader(payload);
      expect(() => {
        reader.readObjectType();
        reader.readString();
        // Redis reads into the footer too; a string reaching past the payload fails in both.
      }).toThrow(RdbFormatError);
      expect(text(await redis.call("RESTORE", "bad", "0", payload, "REPLACE"))).toBe(`-${BAD_DATA_FORMAT_ERROR}`);
    }
  });

  it("RESTOREs listpack hashes and zsets, quicklists and intsets we build", async () => {
    const field = fc.uint8Array({ minLength: 1, maxLength: 20 });
    const hashes = fc.sample(fc.uniqueArray(field, { minLength: 1, maxLength: 40, selector: hex }), {
      numRuns: 20,
      seed: 4,
    });
    for (const [n, fields] of hashes.entries()) {
      const entries: Entry[] = fields.flatMap((f, i) => [f, latin1(String(i * 37 - 500))]);
      const payload = encodeDump({ type: RdbType.HashListpack, entries });
      expect(text(await redis.call("RESTORE", `h${n}`, "0", payload, "REPLACE"))).toBe("OK");
      expect(text(await redis.call("OBJECT", "ENCODING", `h${n}`))).toBe("listpack");
      const all = (await redis.call("HGETALL", `h${n}`)) as Buffer[];
      expect(all.map((b) => hex(b))).toEqual(entries.map((e) => hex(e as Uint8Array)));
      expect(hex((await redis.call("DUMP", `h${n}`)) as Buffer)).toBe(hex(payload));
    }

    const zsetEntries: Entry[] = [latin1("low"), -3n, latin1("mid"), latin1("2.5"), latin1("high"), 1000000n];
    const zset = encodeDump({ type: RdbType.ZsetListpack, entries: zsetEntries });
    expect(text(await redis.call("RESTORE", "z", "0", zset, "REPLACE"))).toBe("OK");
    expect(((await redis.call("ZRANGE", "z", "0", "-1", "WITHSCORES")) as Buffer[]).map(text)).toEqual([
      "low",
      "-3",
      "mid",
      "2.5",
      "high",
      "1000000",
    ]);

    const elements = ["a", "", "-4097", "x".repeat(5000), "9223372036854775807"].map(latin1);
    const list = encodeDump({
      type: RdbType.ListQuicklist2,
      nodes: [{ container: 2, compressedInMemory: false, entries: elements }],
    });
    expect(text(await redis.call("RESTORE", "l", "0", list, "REPLACE"))).toBe("OK");
    expect(((await redis.call("LRANGE", "l", "0", "-1")) as Buffer[]).map(hex)).toEqual(elements.map(hex));

    const set = encodeDump({ type: RdbType.SetIntset, values: [-(2n ** 63n), -1n, 7n, 2n ** 40n] });
    expect(text(await redis.call("RESTORE", "si", "0", set, "REPLACE"))).toBe("OK");
    expect(((await redis.call("SMEMBERS", "si")) as Buffer[]).map(text)).toEqual([
      "-9223372036854775808",
      "-1",
      "7",
      "1099511627776",
    ]);
  });

  it("RESTOREs a listpack saved uncompressed or compressed alike", async () => {
    const lp = buildListpack(Array.from({ length: 30 }, () => latin1("repeated-field")));
    for (const compress of [false, true]) {
      const out = new RdbOutput(64);
      const start = beginDumpPayload(out, RdbType.ListQuicklist2);
      out.writeByte(1); // one node
      out.writeByte(2); // packed
      writeString(out, lp, 0, lp.length, compress);
      writeDumpFooter(out, start);
      expect(text(await redis.call("RESTORE", "lc", "0", out.view(), "REPLACE"))).toBe("OK");
      expect(await redis.call("LLEN", "lc")).toBe(30);
    }
  });
});
