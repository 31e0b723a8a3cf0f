import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

// Stream IDs are numbers below 2^53 and bigints past it in nedis: these IDs sit on that seam
// (9007199254740991 = 2^53 - 1) and at the u64 limits, where a rounding or a mixed comparison
// would show.
const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.config("SET", "stream-node-max-entries", "100");
  await r.config("SET", "stream-node-max-bytes", "4096");
});

const err = errorOf;

const SEAM_IDS = [
  "1-1",
  "9007199254740990-18446744073709551615",
  "9007199254740991-0",
  "9007199254740991-9007199254740991",
  "9007199254740991-9007199254740992",
  "9007199254740992-0",
  "9007199254740993-1",
  "18446744073709551614-3",
  "18446744073709551615-0",
  "18446744073709551615-18446744073709551614",
];

async function addSeamEntries(key: string): Promise<void> {
  for (const [i, id] of SEAM_IDS.entries()) expect(await r.xadd(key, id, "f", String(i))).toBe(id);
}

describe("stream IDs across 2^53 and up to 2^64 - 1", () => {
  it("are stored, ranged and read back exactly, in one node", async () => {
    await addSeamEntries("s");
    const all = SEAM_IDS.map((id, i) => [id, ["f", String(i)]]);
    expect(await r.xrange("s", "-", "+")).toEqual(all);
    expect(await r.xrevrange("s", "+", "-")).toEqual([...all].reverse());
    expect(await r.xrange("s", "9007199254740991", "9007199254740992")).toEqual(all.slice(2, 6));
    expect(await r.xrange("s", "(9007199254740991-9007199254740991", "(9007199254740993-1")).toEqual(all.slice(4, 6));
    expect(await r.xrevrange("s", "18446744073709551615", "(9007199254740993-1")).toEqual(all.slice(7).reverse());
    expect(await r.xread("COUNT", 2, "STREAMS", "s", "9007199254740991-9007199254740991")).toEqual([
      ["s", all.slice(4, 6)],
    ]);
    expect(await r.call("XINFO", "STREAM", "s")).toEqual(
      expect.arrayContaining(["last-generated-id", "18446744073709551615-18446744073709551614"]),
    );
  });

  it("survive DUMP / RESTORE, with Redis's payload bytes", async () => {
    await addSeamEntries("s");
    const payload = (await r.dumpBuffer("s")) as Buffer;
    expect(payload.toString("hex")).toBe(SEAM_DUMP_HEX);
    await r.restore("t", 0, payload);
    expect(await r.xrange("t", "-", "+")).toEqual(await r.xrange("s", "-", "+"));
  });

  it("are deleted and claimed exactly at the seam", async () => {
    await addSeamEntries("s");
    expect(await r.xdel("s", "9007199254740991-9007199254740992", "9007199254740992-1")).toBe(1);
    expect(await r.xrange("s", "9007199254740991-9007199254740991", "9007199254740992")).toEqual([
      ["9007199254740991-9007199254740991", ["f", "3"]],
      ["9007199254740992-0", ["f", "5"]],
    ]);
    await r.xgroup("CREATE", "s", "g", "9007199254740990");
    const read = (await r.xreadgroup("GROUP", "g", "c", "COUNT", 3, "STREAMS", "s", ">")) as [string, unknown[]][];
    expect(read[0]![1].map((e) => (e as [string])[0])).toEqual([
      "9007199254740990-18446744073709551615",
      "9007199254740991-0",
      "9007199254740991-9007199254740991",
    ]);
    const pending = (await r.xpending("s", "g", "9007199254740991", "+", 10)) as [string][];
    expect(pending.map((p) => p[0])).toEqual(["9007199254740991-0", "9007199254740991-9007199254740991"]);
    expect(await r.xack("s", "g", "9007199254740991-9007199254740991")).toBe(1);
    expect(((await r.xpending("s", "g")) as unknown[]).slice(0, 3)).toEqual([
      2,
      "9007199254740990-18446744073709551615",
      "9007199254740991-0",
    ]);
  });

  it("generate the next ID past 2^53 and to the last possible one", async () => {
    await r.xadd("s", "9007199254740991-18446744073709551615", "f", "v");
    expect(await r.xadd("s", "*", "f", "v")).toMatch(/^9007199254740992-0$/);
    expect(await r.xadd("s", "9007199254740992-*", "f", "v")).toBe("9007199254740992-1");
    await r.xadd("u", "5-9007199254740991", "f", "v");
    expect(await r.xadd("u", "5-*", "f", "v")).toBe("5-9007199254740992");
    await r.call("XSETID", "u", "18446744073709551615-18446744073709551614");
    expect(await r.xadd("u", "*", "f", "v")).toBe("18446744073709551615-18446744073709551615");
    expect(await err(r.xadd("u", "*", "f", "v"))).toBe(
      "ERR The stream has exhausted the last possible ID, unable to add more items",
    );
    expect(await err(r.call("XSETID", "u", "18446744073709551615-18446744073709551614"))).toBe(
      "ERR The ID specified in XSETID is smaller than the target stream top item",
    );
    expect(await err(r.xadd("s", "18446744073709551616-0", "f", "v"))).toBe(
      "ERR Invalid stream ID specified as stream command argument",
    );
  });
});

const SEAM_DUMP_HEX =
  "13011000000000000000010000000000000001c3407e40be11be00000037000a0100010101816602000102200a40010004200902f4fdff4000061f0009dffe0201801200fe4011601202ff0202e00612e0011c0003e0071920332000204900048019200c2000200f2046000580122089200005200009000106601101dffd20610007800a01fe0220280008e0000b02fd0209200b00ff0a81ffffffffffffffff81fffffffffffffffe010100000a000a0072cd35c957712cf7";
