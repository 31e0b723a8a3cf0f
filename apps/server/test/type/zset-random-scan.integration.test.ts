import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

const err = errorOf;

const members = Array.from({ length: 20 }, (_, i) => `m${i}`);

for (const enc of ["listpack", "skiplist"] as const) {
  describe(`ZRANDMEMBER and ZSCAN (${enc})`, () => {
    beforeEach(async () => {
      await r.flushall();
      await r.config("SET", "zset-max-listpack-entries", enc === "listpack" ? "128" : "0");
      await r.zadd("z", ...members.flatMap((m, i) => [i + 0.5, m]));
    });

    it("ZRANDMEMBER without count, with positive and negative counts, WITHSCORES", async () => {
      expect(members).toContain(await r.zrandmember("z"));
      expect(await r.zrandmember("missing")).toBeNull();
      expect(await r.call("ZRANDMEMBER", "missing", "5")).toEqual([]);
      expect(await r.call("ZRANDMEMBER", "z", "0")).toEqual([]);
      for (const n of [1, 5, 10, 19, 20, 25]) {
        const got = (await r.call("ZRANDMEMBER", "z", String(n))) as string[];
        expect(got.length).toBe(Math.min(n, 20));
        expect(new Set(got).size).toBe(got.length);
        for (const m of got) expect(members).toContain(m);
      }
      const repeated = (await r.call("ZRANDMEMBER", "z", "-50")) as string[];
      expect(repeated.length).toBe(50);
      const withScores = (await r.call("ZRANDMEMBER", "z", "3", "WITHSCORES")) as string[];
      expect(withScores.length).toBe(6);
      for (let i = 0; i < 6; i += 2) expect(withScores[i + 1]).toBe(`${Number(withScores[i]!.slice(1)) + 0.5}`);
      expect(await err(r.call("ZRANDMEMBER", "z", "1", "x"))).toBe("ERR syntax error");
      expect(await err(r.call("ZRANDMEMBER", "z", "x"))).toBe("ERR value is not an integer or out of range");
      expect(await err(r.call("ZRANDMEMBER", "z", "-9223372036854775808"))).toBe(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
      );
      expect(await err(r.call("ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES"))).toBe(
        "ERR value is out of range",
      );
    });

    it("ZSCAN returns every element with its score", async () => {
      const seen = new Map<string, string>();
      let cursor = "0";
      let rounds = 0;
      do {
        const [next, items] = (await r.zscan("z", cursor, "COUNT", 3)) as [string, string[]];
        for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
        cursor = next;
      } while (cursor !== "0" && ++rounds < 100);
      expect(seen.size).toBe(20);
      expect(seen.get("m3")).toBe("3.5");
      const [, matched] = (await r.zscan("z", "0", "MATCH", "m1*", "COUNT", 1000)) as [string, string[]];
      expect(matched.filter((_, i) => i % 2 === 0).sort()).toEqual(
        ["m1", "m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19"].sort(),
      );
      expect(await r.zscan("missing", "0")).toEqual(["0", []]);
      expect(await err(r.zscan("z", "x"))).toBe("ERR invalid cursor");
      expect(await err(r.zscan("z", "0", "COUNT", "0"))).toBe("ERR syntax error");
      expect(await err(r.call("ZSCAN", "z", "0", "FOO", "1"))).toBe("ERR syntax error");
    });
  });
}
