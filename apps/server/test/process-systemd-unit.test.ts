import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { findProgram } from "../src/process/findProgram.js";

/**
 * apps/server/systemd/nedis-server.service: a Type=notify unit with Debian's redis-server
 * hardening. This machine may not run systemd, so the notify protocol itself is tested in
 * process-notify.integration.test.ts; here the unit is checked by `systemd-analyze verify`.
 */
const unitPath = fileURLToPath(new URL("../systemd/nedis-server.service", import.meta.url));
const unit = readFileSync(unitPath, "latin1");
const dir = mkdtempSync(join(tmpdir(), "nedis-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const directives = (name: string) =>
  unit
    .split("\n")
    .filter((line) => line.startsWith(`${name}=`))
    .map((line) => line.slice(name.length + 1));

describe("systemd unit", () => {
  it("is a notify service started supervised, in the foreground", () => {
    expect(directives("Type")).toEqual(["notify"]);
    // The notifications come from a helper process the server starts.
    expect(directives("NotifyAccess")).toEqual(["all"]);
    expect(directives("ExecStart")[0]).toMatch(/nedis-server .* --supervised systemd --daemonize no$/);
  });

  it("keeps Debian's redis-server hardening, except what V8's JIT cannot run under", () => {
    for (const [name, value] of [
      ["NoNewPrivileges", "true"],
      ["PrivateTmp", "true"],
      ["PrivateDevices", "true"],
      ["ProtectSystem", "strict"],
      ["ProtectHome", "true"],
      ["RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"],
      ["SystemCallFilter", "@system-service"],
      ["CapabilityBoundingSet", ""],
    ] as const) {
      expect(directives(name)).toContain(value);
    }
    expect(directives("MemoryDenyWriteExecute")).toEqual([]);
  });

  it.skipIf(findProgram("systemd-analyze") === null)("passes systemd-analyze verify without warnings", () => {
    // verify checks that ExecStart's program exists: point it at this checkout's build.
    const local = unit.replace(
      /^ExecStart=\S+/m,
      `ExecStart=${process.execPath} ${fileURLToPath(new URL("../dist/main.js", import.meta.url))}`,
    );
    const copy = join(dir, "nedis-server.service");
    writeFileSync(copy, local);
    const r = spawnSync("systemd-analyze", ["verify", copy], { encoding: "latin1", timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });
});
