/**
 * Runs every scenario against a real redis-server and the hub, and compares byte streams.
 * With NEDIS_RECORD_FIXTURES=1 it (re)writes the recorded outputs that `conformance.test.ts`
 * checks without a server.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS } from "./fixtures/scenarios.js";
import { type RunningRedis, redisServerAvailable, startRedis } from "./utils/redisServer.js";
import { runOnMemory, runOnRedis, type ScenarioOutputs } from "./utils/runScenario.js";

const FIXTURE = new URL("./fixtures/redis-scenarios.json", import.meta.url);
const record = process.env.NEDIS_RECORD_FIXTURES === "1";

describe.skipIf(!redisServerAvailable())("pub/sub scenarios against redis-server", () => {
  let redis: RunningRedis;
  const recorded: Record<string, ScenarioOutputs> = {};
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    if (record) writeFileSync(FIXTURE, `${JSON.stringify(recorded, null, 1)}\n`);
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const live = await runOnRedis(redis.socketPath, scenario);
      recorded[scenario.name] = live;
      expect(runOnMemory(scenario)).toEqual(live);
      if (!record && existsSync(FIXTURE)) {
        const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, ScenarioOutputs>;
        expect(fixture[scenario.name], "recorded fixture is stale: rerun with NEDIS_RECORD_FIXTURES=1").toEqual(live);
      }
    });
  }
});
