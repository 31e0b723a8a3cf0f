import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findProgram } from "../src/process/findProgram.js";
import { findNotifySender, SystemdNotifier } from "../src/process/systemdNotify.js";
import { startFakeNotifySocket } from "./utils/fakeNotifySocket.js";
import { waitFor } from "./utils/serverProcess.js";

/** Each notify helper delivers the same datagrams: systemd-notify, and python3 where it is absent. */
const dir = mkdtempSync(join(tmpdir(), "nedis-sender-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function onlyOn(name: string): string {
  const bin = mkdtempSync(join(dir, "bin-"));
  symlinkSync(findProgram(name)!, join(bin, name));
  return bin;
}

describe("sd_notify senders", () => {
  it("finds none on an empty PATH", () => {
    expect(findNotifySender(join(dir, "nothing-here"))).toBe(null);
  });

  for (const helper of ["systemd-notify", "python3"]) {
    // The receiver is python3 too.
    it.skipIf(findProgram(helper) === null || findProgram("python3") === null)(
      `${helper} sends the messages in order`,
      async () => {
        const socket = await startFakeNotifySocket(mkdtempSync(join(dir, "s-")));
        const saved = process.env.NOTIFY_SOCKET;
        process.env.NOTIFY_SOCKET = socket.path;
        try {
          const sender = findNotifySender(onlyOn(helper))!;
          expect(sender.command.endsWith(helper)).toBe(true);
          const errors: string[] = [];
          const notifier = new SystemdNotifier(sender, (e) => errors.push(e));
          void notifier.notify("STATUS=Ready to accept connections");
          void notifier.notify("READY=1");
          await notifier.flush(10_000);
          await waitFor(() => socket.assignments().length >= 2, 5000, "datagrams");
          expect(socket.assignments()).toEqual(["STATUS=Ready to accept connections", "READY=1"]);
          expect(errors).toEqual([]);
        } finally {
          if (saved === undefined) delete process.env.NOTIFY_SOCKET;
          else process.env.NOTIFY_SOCKET = saved;
          await socket.close();
        }
      },
    );
  }

  it("reports a socket nobody listens on", async () => {
    const sender = findNotifySender();
    if (sender === null) return;
    const saved = process.env.NOTIFY_SOCKET;
    process.env.NOTIFY_SOCKET = join(dir, "nobody.sock");
    try {
      const errors: string[] = [];
      await new SystemdNotifier(sender, (e) => errors.push(e)).notify("READY=1");
      expect(errors.length).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.NOTIFY_SOCKET;
      else process.env.NOTIFY_SOCKET = saved;
    }
  });
});
