import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();
/** Raw sockets opened by a test: closed after it even when an assertion fails. */
const opened: Socket[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.destroy();
});

/** A raw connection that collects everything it receives. */
async function rawClient(): Promise<{
  socket: Socket;
  received: () => string;
  send: (text: string) => void;
  port: number;
}> {
  const socket = connect({ host: "127.0.0.1", port: target.port });
  let text = "";
  socket.on("data", (d) => (text += d.toString("latin1")));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  opened.push(socket);
  return { socket, received: () => text, send: (t) => socket.write(Buffer.from(t, "latin1")), port: socket.localPort! };
}

const waitFor = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The command part of MONITOR lines, after the timestamp and `[db addr]`. */
function monitorLines(text: string): { db: number; port: number; command: string }[] {
  return text
    .split("\r\n")
    .filter((l) => l.startsWith("+") && l !== "+OK")
    .map((line) => {
      const m = /^\+(\d+)\.(\d{6}) \[(\d+) 127\.0\.0\.1:(\d+)\] (.*)$/.exec(line);
      if (m === null) throw new Error(`not a monitor line: ${JSON.stringify(line)}`);
      expect(Math.abs(Number(m[1]) - Date.now() / 1000)).toBeLessThan(10);
      return { db: Number(m[3]), port: Number(m[4]), command: m[5]! };
    });
}

describe("MONITOR", () => {
  it("streams other clients' commands, quoted like sdscatrepr, with their db and address", async () => {
    const monitor = await rawClient();
    monitor.send("MONITOR\r\n");
    await waitFor(() => monitor.received() === "+OK\r\n");
    const { socket: worker, port } = await rawClient();
    worker.write(
      Buffer.from('*2\r\n$4\r\nECHO\r\n$8\r\na"b\\\x01\n\t\xff\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\nPING\r\n', "latin1"),
    );
    await waitFor(() => monitorLines(monitor.received()).length === 3);
    expect(monitorLines(monitor.received())).toEqual([
      { db: 0, port, command: '"ECHO" "a\\"b\\\\\\x01\\n\\t\\xff"' },
      // The db is the client's after the command ran.
      { db: 3, port, command: '"SELECT" "3"' },
      { db: 3, port, command: '"PING"' },
    ]);
    worker.destroy();
    monitor.socket.destroy();
  });

  it("leaves out admin commands and commands that were refused, and hides credentials", async () => {
    const monitor = await rawClient();
    monitor.send("MONITOR\r\n");
    await waitFor(() => monitor.received() === "+OK\r\n");
    await rawExchange(
      target.port,
      "CONFIG GET maxmemory\r\nCLIENT LIST\r\nSLOWLOG LEN\r\nECHO\r\nNOSUCH\r\nCLIENT ID\r\nAUTH x\r\nHELLO 2 AUTH default pw\r\nECHO done\r\n",
      { until: (t) => t.endsWith("$4\r\ndone\r\n") },
    );
    await waitFor(() => monitor.received().includes('"done"'));
    expect(monitorLines(monitor.received()).map((l) => l.command)).toEqual([
      '"CLIENT" "ID"',
      '"AUTH" "(redacted)"',
      '"HELLO" "2" "AUTH" "(redacted)" "(redacted)"',
      '"ECHO" "done"',
    ]);
    monitor.socket.destroy();
  });

  it("shows a transaction as MULTI, its commands, then EXEC", async () => {
    const monitor = await rawClient();
    monitor.send("MONITOR\r\n");
    await waitFor(() => monitor.received() === "+OK\r\n");
    await rawExchange(target.port, "MULTI\r\nECHO a\r\nPING\r\nEXEC\r\n", { until: (t) => t.endsWith("+PONG\r\n") });
    await waitFor(() => monitorLines(monitor.received()).length === 4);
    expect(monitorLines(monitor.received()).map((l) => l.command)).toEqual([
      '"MULTI"',
      '"ECHO" "a"',
      '"PING"',
      '"EXEC"',
    ]);
    monitor.socket.destroy();
  });

  it("a monitor sees its own commands after their replies; a second MONITOR gets no reply; RESET ends it", async () => {
    const monitor = await rawClient();
    monitor.send("MONITOR\r\nPING\r\nMONITOR\r\nECHO x\r\n");
    await waitFor(() => monitor.received().includes('"ECHO" "x"\r\n'));
    const text = monitor.received();
    expect(text.replace(/\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\]/g, "+T")).toBe(
      '+OK\r\n+PONG\r\n+T "PING"\r\n$1\r\nx\r\n+T "ECHO" "x"\r\n',
    );
    monitor.send("RESET\r\nECHO after\r\n");
    await waitFor(() => monitor.received().endsWith("$5\r\nafter\r\n"));
    await rawExchange(target.port, "ECHO other\r\n", { until: (t) => t.endsWith("other\r\n") });
    await new Promise((r) => setTimeout(r, 50));
    expect(monitor.received().slice(text.length)).toBe("+RESET\r\n$5\r\nafter\r\n");
    monitor.socket.destroy();
  });

  it("is refused inside a transaction", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nMONITOR\r\nEXEC\r\n", {
      until: (t) => t.split("\r\n").length > 4,
    });
    expect(text).toBe("+OK\r\n+QUEUED\r\n*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
  });

  it("works with redis-cli --no-raw monitor", async () => {
    const cli = spawn("redis-cli", ["-p", String(target.port), "monitor"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    cli.stdout.on("data", (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.startsWith("OK\n"));
      await rawExchange(target.port, "ECHO from-cli-test\r\n", { until: (t) => t.endsWith("from-cli-test\r\n") });
      await waitFor(() => out.includes('"ECHO" "from-cli-test"'));
      expect(out).toMatch(/^OK\n\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "ECHO" "from-cli-test"\n/);
    } finally {
      cli.kill();
    }
  });
});
