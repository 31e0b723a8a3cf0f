import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/**
 * A stand-in for systemd's NOTIFY_SOCKET: a unix datagram socket bound by python3 (Node has
 * none) that prints each datagram it receives as one JSON line.
 */
const RECEIVER = [
  "import json,socket,sys",
  "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)",
  "s.bind(sys.argv[1])",
  'print("bound",flush=True)',
  "while True:",
  "    print(json.dumps(s.recv(65536).decode()),flush=True)",
].join("\n");

export interface FakeNotifySocket {
  path: string;
  /** Each datagram received so far, in order. */
  messages(): string[];
  /**
   * Every `NAME=value` assignment received so far (datagrams split at newlines), without
   * `BARRIER=1`: systemd-notify's sd_notify_barrier() handshake, which systemd consumes itself.
   */
  assignments(): string[];
  close(): Promise<void>;
}

export async function startFakeNotifySocket(dir: string): Promise<FakeNotifySocket> {
  const path = join(dir, "notify.sock");
  const proc: ChildProcess = spawn("python3", ["-c", RECEIVER, path], { stdio: ["ignore", "pipe", "inherit"] });
  const received: string[] = [];
  let buffered = "";
  let bound!: () => void;
  const ready = new Promise<void>((resolve) => {
    bound = resolve;
  });
  proc.stdout!.on("data", (d: Buffer) => {
    buffered += d.toString();
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === "bound") bound();
      else received.push(JSON.parse(line) as string);
      nl = buffered.indexOf("\n");
    }
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  await Promise.race([ready, new Promise((_, reject) => proc.once("exit", () => reject(new Error("receiver died"))))]);
  return {
    path,
    messages: () => [...received],
    assignments: () => received.flatMap((m) => m.split("\n").filter((a) => a !== "" && a !== "BARRIER=1")),
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGKILL");
      }),
  };
}
