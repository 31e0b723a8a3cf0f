/**
 * The glob matcher against redis-server itself: `KEYS pattern` over a keyspace of random binary
 * keys (case-sensitive matching) and `COMMAND LIST FILTERBY PATTERN` over the command names
 * (nocase matching). With NEDIS_RECORD_FIXTURES=1 the answers are saved for `globMatch.test.ts`.
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { globMatch, globMatchString } from "../src/globMatch.js";
import { type GlobFixture, mutatedPatterns, randomPatterns, randomSubjects, seededRandom } from "./utils/globCases.js";
import { RawConnection, type RunningRedis, redisServerAvailable, sleep, startRedis } from "./utils/redisServer.js";
import { bytesOf, splitFrames } from "./utils/resp.js";

const FIXTURE = new URL("./fixtures/redis-glob.json", import.meta.url);
const record = process.env.NEDIS_RECORD_FIXTURES === "1";

/** Sends one command and returns its reply (waits for a complete frame). */
async function call(connection: RawConnection, args: string[]): Promise<string> {
  connection.send(args);
  let buffered = new Uint8Array(0);
  for (let i = 0; i < 2_000; i++) {
    await sleep(1);
    const more = connection.take();
    if (more.length > 0) buffered = new Uint8Array(Buffer.concat([buffered, more]));
    if (buffered.length === 0) continue;
    try {
      const frames = splitFrames(buffered);
      if (frames.length === 1) return frames[0]!;
    } catch {
      // incomplete: keep reading
    }
  }
  throw new Error(`no reply to ${args[0]}`);
}

function arrayElements(reply: string): string[] {
  const inner = reply.replace(/^\*\d+\r\n/, "");
  if (inner === "") return [];
  return splitFrames(new Uint8Array(Buffer.from(inner, "latin1"))).map((bulk) =>
    bulk.replace(/^\$\d+\r\n/, "").slice(0, -2),
  );
}

describe.skipIf(!redisServerAvailable())("globMatch against redis-server", () => {
  let redis: RunningRedis;
  let connection: RawConnection;
  beforeAll(async () => {
    redis = await startRedis();
    connection = await RawConnection.open(redis.socketPath);
  });
  afterAll(async () => {
    connection?.close();
    await redis?.stop();
  });

  it("matches exactly what KEYS and COMMAND LIST FILTERBY PATTERN match", async () => {
    const random = seededRandom(7_0_15);
    const subjects = randomSubjects(random, 400, 5);
    await call(connection, ["FLUSHALL"]);
    for (const key of subjects) await call(connection, ["SET", key, "1"]);
    const keyCases: [string, number[]][] = [];
    // `KEYS *` is special-cased by Redis before the matcher runs, so it is not a matcher case.
    for (const pattern of randomPatterns(random, 600, 5).filter((p) => p !== "*")) {
      const matched = new Set(arrayElements(await call(connection, ["KEYS", pattern])));
      const indexes = subjects.flatMap((s, i) => (matched.has(s) ? [i] : []));
      keyCases.push([pattern, indexes]);
      const ours = subjects.flatMap((s, i) => (globMatchString(pattern, s) ? [i] : []));
      expect(ours, `KEYS ${JSON.stringify(pattern)}`).toEqual(indexes);
      const oursBytes = subjects.flatMap((s, i) => (globMatch(bytesOf(pattern), bytesOf(s)) ? [i] : []));
      expect(oursBytes, `KEYS ${JSON.stringify(pattern)} (bytes)`).toEqual(indexes);
    }

    const names = arrayElements(await call(connection, ["COMMAND", "LIST"])).sort();
    const letters = ["c", "O", "n", "F", "i", "g", "|", "s", "E", "t", "x", "Z", "a"];
    const nocasePatterns = [...randomPatterns(random, 100, 6, letters), ...mutatedPatterns(random, names, 400)];
    const nocaseCases: [string, number[]][] = [];
    for (const pattern of nocasePatterns) {
      const matched = new Set(
        arrayElements(await call(connection, ["COMMAND", "LIST", "FILTERBY", "PATTERN", pattern])),
      );
      const indexes = names.flatMap((s, i) => (matched.has(s) ? [i] : []));
      nocaseCases.push([pattern, indexes]);
      const ours = names.flatMap((s, i) => (globMatchString(pattern, s, true) ? [i] : []));
      expect(ours, `COMMAND LIST FILTERBY PATTERN ${JSON.stringify(pattern)}`).toEqual(indexes);
      const oursBytes = names.flatMap((s, i) => (globMatch(bytesOf(pattern), bytesOf(s), true) ? [i] : []));
      expect(oursBytes, `COMMAND LIST FILTERBY PATTERN ${JSON.stringify(pattern)} (bytes)`).toEqual(indexes);
    }

    if (record) {
      const info = await call(connection, ["INFO", "server"]);
      const fixture: GlobFixture = {
        redisVersion: /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? "unknown",
        keys: { subjects, cases: keyCases },
        nocase: { subjects: names, cases: nocaseCases },
      };
      writeFileSync(FIXTURE, `${JSON.stringify(fixture)}\n`);
    }
  });
});
