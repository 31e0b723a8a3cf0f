import fs, { mkdtempSync, rmSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * A disk that refuses the AOF's writes (ENOSPC): as Redis, writes and PING get MISCONF with the
 * system's reason, reads go on, INFO says `aof_last_write_status:err`, and once the disk takes
 * the buffered bytes again writes are accepted and nothing acknowledged is lost. The full disk
 * is `fs.writeSync` failing for a moment inside this process (nedis in-process only: a real
 * full disk cannot be made here for Redis).
 */
const root = mkdtempSync(join(tmpdir(), "nedis-aof-enospc-"));
const home = process.cwd();
const target = useTarget(() => [
  ["dir", [root]],
  ["appendonly", ["yes"]],
  ["appendfsync", ["everysec"]],
  ["enable-debug-command", ["yes"]],
]);
const realWriteSync = fs.writeSync;
let diskFull = false;
let r: Redis;

beforeAll(() => {
  r = target.client();
  fs.writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (diskFull) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    return (realWriteSync as (...a: Parameters<typeof fs.writeSync>) => number)(...args);
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
});
afterAll(() => {
  fs.writeSync = realWriteSync;
  syncBuiltinESMExports();
  process.chdir(home);
  rmSync(root, { recursive: true, force: true });
});

const MISCONF = "MISCONF Errors writing to the AOF file: No space left on device";

describe.skipIf(process.env.NEDIS_TEST_TARGET === "redis" || process.env.NEDIS_TEST_URL)("AOF write errors", () => {
  it("refuse writes and PING with MISCONF until the AOF can be written again", async () => {
    expect(await r.set("before", "1")).toBe("OK");
    diskFull = true;
    // Runs and is acknowledged (as in Redis under everysec): its AOF write fails and stays buffered.
    expect(await r.set("during", "2")).toBe("OK");
    await expect(r.set("refused", "3")).rejects.toThrow(MISCONF);
    await expect(r.ping()).rejects.toThrow(MISCONF);
    expect(await r.get("before")).toBe("1");
    expect(await r.info("persistence")).toContain("aof_last_write_status:err");

    diskFull = false;
    // The next batch writes the buffered bytes; then writes are accepted again.
    expect(await r.get("before")).toBe("1");
    expect(await r.info("persistence")).toContain("aof_last_write_status:ok");
    expect(await r.set("after", "4")).toBe("OK");
    expect(await r.ping()).toBe("PONG");

    // Everything acknowledged is in the files: DEBUG LOADAOF reloads the dataset from them.
    expect(await r.call("DEBUG", "LOADAOF")).toBe("OK");
    expect(await r.mget("before", "during", "refused", "after")).toEqual(["1", "2", null, "4"]);
  });
});
