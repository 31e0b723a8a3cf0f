import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { redisCommandDocs, redisCommandInfo, redisCommandNames } from "../src/commands/metadata/RedisMetadata.js";

// The metadata snapshot is held weakly (a full collection may drop it); it must read back the same.

function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe("Redis command metadata", () => {
  it("answers the same after the collector dropped the snapshot", async () => {
    const info = JSON.stringify(redisCommandInfo("get"));
    const docs = JSON.stringify(redisCommandDocs("client|setinfo"));
    const names = redisCommandNames().length;
    // WeakRef targets live at least until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 5));
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 5));
    collectGarbage();
    expect(JSON.stringify(redisCommandInfo("get"))).toBe(info);
    expect(JSON.stringify(redisCommandDocs("client|setinfo"))).toBe(docs);
    expect(redisCommandNames().length).toBe(names);
    expect(names).toBeGreaterThan(200);
    expect(info).toContain("@string");
  });
});
