import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { Logger } from "../src/Logger.js";
import { installSignalHandlers } from "../src/process/signals.js";

/**
 * Redis's sigShutdownHandler, driven in-process (the signal is emitted, process.exit is stubbed):
 * the first SIGINT/SIGTERM starts the shutdown, a second SIGINT exits at once with status 1.
 */
const dir = mkdtempSync(join(tmpdir(), "nedis-signals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIGNALS = ["SIGINT", "SIGTERM", "SIGUSR1"] as const;
const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
afterEach(() => {
  // Leave only the listeners the test runner had.
  for (const s of SIGNALS) {
    for (const fn of process.listeners(s)) if (!before.get(s)!.includes(fn)) process.removeListener(s, fn);
  }
  vi.restoreAllMocks();
});

function setUp(name: string) {
  const file = join(dir, `${name}.log`);
  const log = new Logger("notice", file);
  let shuttingDown = false;
  const shutdown = vi.fn(() => {
    shuttingDown = true;
  });
  const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
  installSignalHandlers(log, { shutdown, shuttingDown: () => shuttingDown });
  return { shutdown, exit, log: () => readFileSync(file, "latin1") };
}

describe("shutdown signals", () => {
  it("SIGTERM starts one graceful shutdown; a second SIGTERM only logs", () => {
    const { shutdown, exit, log } = setUp("term");
    process.emit("SIGTERM");
    process.emit("SIGTERM");
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
    expect(log().match(/^\d+:signal-handler \(\d+\) Received SIGTERM scheduling shutdown\.\.\.$/gm)).toHaveLength(2);
  });

  it("a second SIGINT during the shutdown exits at once with status 1", () => {
    const { shutdown, exit, log } = setUp("int");
    process.emit("SIGINT");
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
    process.emit("SIGINT");
    expect(exit).toHaveBeenCalledWith(1);
    expect(log()).toMatch(/signal-handler \(\d+\) You insist\.\.\. exiting now\.\n$/);
  });

  it("SIGUSR1 is logged and changes nothing", () => {
    const { shutdown, exit, log } = setUp("usr1");
    process.emit("SIGUSR1");
    expect(shutdown).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
    expect(log()).toContain("Received SIGUSR1, ignored");
  });
});
