import { describe, expect, it } from "vitest";
import { RdbType } from "../src/constants.js";
import { dumpIntegerString, dumpString, verifyDumpPayload } from "../src/dumpPayload.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { RdbReader } from "../src/RdbReader.js";
import { materialize } from "./fixtures/goldenRecipes.mjs";
import { type GoldenDump, goldenDumps, REDIS_VERSION } from "./fixtures/redisDumps.js";
import { fromHex, hex } from "./utils/bytes.js";
import { decodeDump, encodeDump } from "./utils/dumpModel.js";

const TYPE_OF_ENCODING: Record<string, number> = {
  int: RdbType.String,
  embstr: RdbType.String,
  raw: RdbType.String,
  listpack: -1, // hash or zset: decided by the command
  quicklist: RdbType.ListQuicklist2,
  intset: RdbType.SetIntset,
  hashtable: -1,
  skiplist: RdbType.Zset2,
  stream: RdbType.StreamListpacks2,
};

function expectedType(g: GoldenDump): number {
  const byEncoding = TYPE_OF_ENCODING[g.encoding]!;
  if (byEncoding !== -1) return byEncoding;
  const command = g.setup.at(-1)![0];
  if (g.encoding === "listpack") return command === "HSET" ? RdbType.HashListpack : RdbType.ZsetListpack;
  return command === "HSET" ? RdbType.Hash : RdbType.Set;
}

/** The value of a string case: its last command is `SET k <value>`. */
function setValue(g: GoldenDump): Uint8Array | null {
  const last = g.setup.at(-1)!;
  return last[0] === "SET" ? materialize(last[2]!) : null;
}

const compressionOff = (g: GoldenDump): boolean => g.setup.some((c) => c[0] === "CONFIG" && c[2] === "rdbcompression");

describe(`DUMP payloads captured from Redis ${REDIS_VERSION}`, () => {
  it.each(goldenDumps.map((g) => [g.name, g] as const))("%s: verifies, with the expected type byte", (_, g) => {
    const payload = fromHex(g.hex);
    expect(verifyDumpPayload(payload)).toBe(10);
    expect(payload[0]).toBe(expectedType(g));
  });

  const strings = goldenDumps.filter((g) => setValue(g) !== null);
  it.each(strings.map((g) => [g.name, g] as const))(
    "%s: dumpString writes Redis's exact bytes and reads them back",
    (_, g) => {
      const value = setValue(g)!;
      const out = new RdbOutput(8);
      dumpString(out, value, 0, value.length, !compressionOff(g));
      expect(hex(out.view())).toBe(g.hex);

      const reader = new RdbReader(fromHex(g.hex), 1);
      reader.readString();
      expect(hex(reader.stringBytes.subarray(reader.stringStart, reader.stringEnd))).toBe(hex(value));
    },
  );

  it("an int-encoded string made by INCRBY dumps like dumpIntegerString", () => {
    const g = goldenDumps.find((c) => c.name === "integer from INCR")!;
    const out = new RdbOutput(8);
    dumpIntegerString(out, 99 + 2147483549);
    expect(hex(out.view())).toBe(g.hex);
  });

  const collections = goldenDumps.filter(
    (g) => setValue(g) === null && g.encoding !== "stream" && g.encoding !== "int",
  );
  it.each(collections.map((g) => [g.name, g] as const))("%s: decodes and re-encodes to Redis's exact bytes", (_, g) => {
    expect(hex(encodeDump(decodeDump(fromHex(g.hex))))).toBe(g.hex);
  });

  it("the listpack hash decodes to its fields and values, integers as integers", () => {
    const model = decodeDump(fromHex(goldenDumps.find((g) => g.name === "hash listpack")!.hex));
    expect(model.type).toBe(RdbType.HashListpack);
    if (model.type !== RdbType.HashListpack) return;
    expect(model.entries.map((e) => (typeof e === "bigint" ? e : Buffer.from(e).toString()))).toEqual([
      "f",
      "v",
      "n",
      12n,
      "neg",
      -5000n,
    ]);
  });

  it("the quicklist cases cover several nodes and nodes compressed in memory", () => {
    const several = decodeDump(fromHex(goldenDumps.find((g) => g.name === "list quicklist, several nodes")!.hex));
    const compressed = decodeDump(fromHex(goldenDumps.find((g) => g.name === "list quicklist, compress depth 1")!.hex));
    if (several.type !== RdbType.ListQuicklist2 || compressed.type !== RdbType.ListQuicklist2)
      throw new Error("not quicklists");
    expect(several.nodes.length).toBeGreaterThan(1);
    expect(compressed.nodes.slice(1, -1).every((n) => n.compressedInMemory)).toBe(true);
  });
});
