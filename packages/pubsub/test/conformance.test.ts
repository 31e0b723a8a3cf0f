/**
 * Replays every scenario on the in-memory server and compares with what redis-server 7.0.15
 * sent for the same commands (recorded by `conformance.redis.test.ts`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCENARIOS } from "./fixtures/scenarios.js";
import { runOnMemory, type ScenarioOutputs } from "./utils/runScenario.js";

const recorded = JSON.parse(
  readFileSync(new URL("./fixtures/redis-scenarios.json", import.meta.url), "utf8"),
) as Record<string, ScenarioOutputs>;

describe("the hub sends the bytes redis-server sent", () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, () => {
      const expected = recorded[scenario.name];
      expect(
        expected,
        "scenario missing from the recording: run `test redis.test` with NEDIS_RECORD_FIXTURES=1",
      ).toBeDefined();
      expect(runOnMemory(scenario)).toEqual(expected);
    });
  }
});
