import { spawn } from "node:child_process";
import { findProgram } from "./findProgram.js";

/**
 * sd_notify() without libsystemd. NOTIFY_SOCKET is a unix datagram socket, which Node cannot
 * open, so each message is sent by a short-lived helper: `systemd-notify` (it waits until the
 * manager has read the message, so systemd can still attribute it to our unit — the unit needs
 * `NotifyAccess=all` because the sender is our child), else `python3`.
 */
export interface NotifySender {
  command: string;
  args(message: string): string[];
}

// Abstract socket names start with '@' in NOTIFY_SOCKET (a NUL byte on the wire), as sd_notify reads them.
const PYTHON_SEND = [
  "import os,socket,sys",
  'p=os.environ["NOTIFY_SOCKET"]',
  'p="\\0"+p[1:] if p.startswith("@") else p',
  "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)",
  "s.connect(p)",
  "s.sendall(sys.argv[1].encode())",
].join("\n");

/** The helper this machine has, preferring systemd's own; null when neither exists. */
export function findNotifySender(path = process.env.PATH ?? ""): NotifySender | null {
  const systemdNotify = findProgram("systemd-notify", path);
  if (systemdNotify !== null) return { command: systemdNotify, args: (message) => message.split("\n") };
  const python = findProgram("python3", path);
  if (python !== null) return { command: python, args: (message) => ["-c", PYTHON_SEND, message] };
  return null;
}

/** Sends notify messages in order, one helper process at a time; failures go to `onError`. */
export class SystemdNotifier {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly sender: NotifySender,
    private readonly onError: (reason: string) => void,
  ) {}

  /** Queues `message` (`READY=1`, `STATUS=…`; several assignments separated by newlines). */
  notify(message: string): Promise<void> {
    this.queue = this.queue.then(() => this.send(message));
    return this.queue;
  }

  /** Waits for queued messages, at most `timeoutMs` (shutdown must not hang on a stuck helper). */
  flush(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    return Promise.race([this.queue, timeout]).finally(() => clearTimeout(timer));
  }

  private send(message: string): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn(this.sender.command, this.sender.args(message), { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once("error", (err) => {
        this.onError(err.message);
        resolve();
      });
      child.once("close", (code) => {
        if (code !== 0) this.onError(stderr.trim() || `${this.sender.command} exited with code ${code}`);
        resolve();
      });
    });
  }
}
