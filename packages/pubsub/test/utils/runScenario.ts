/**
 * Runs a {@link Scenario} against the in-memory server or a live redis-server and returns, per
 * step, each client's output normalised for comparison (see `Compare`).
 */
import type { Compare, Scenario } from "../fixtures/scenarios.js";
import { type MemoryClient, MemoryServer } from "./memoryServer.js";
import { RawConnection, sleep } from "./redisServer.js";
import { splitFrames } from "./resp.js";

/** `outputs[step][client]` = normalised frames that client received during that step. */
export type ScenarioOutputs = Record<string, string[]>[];

const SUBSCRIPTION_REPLY = /^[*>]3\r\n\$\d+\r\n(\w+)\r\n(?:\$\d+\r\n([\s\S]*)\r\n|\$-1\r\n|_\r\n):(\d+)\r\n$/;

function normalise(frames: string[], compare: Compare): string[] {
  switch (compare) {
    case "exact":
      return frames;
    case "ignore":
      return [];
    case "frames-unordered":
      return [...frames].sort();
    case "array-unordered": {
      if (frames.length !== 1) return frames;
      const inner = splitFrames(new Uint8Array(Buffer.from(frames[0]!.replace(/^\*\d+\r\n/, ""), "latin1")));
      return [`array of ${inner.length}`, ...inner.sort()];
    }
    case "unsubscribe-all": {
      const names: string[] = [];
      const counts: string[] = [];
      for (const frame of frames) {
        const match = SUBSCRIPTION_REPLY.exec(frame);
        if (match === null) return frames;
        names.push(`${match[1]} ${JSON.stringify(match[2] ?? null)}`);
        counts.push(match[3]!);
      }
      return [...names.sort(), `counts ${counts.join(",")}`];
    }
  }
}

export function runOnMemory(scenario: Scenario): ScenarioOutputs {
  const server = new MemoryServer();
  const clients = new Map<string, MemoryClient>(scenario.clients.map((name) => [name, server.connect()]));
  const outputs: ScenarioOutputs = [];
  for (const step of scenario.steps) {
    const client = clients.get(step.client)!;
    if (step.disconnect) server.disconnect(client);
    else server.command(client, step.args!);
    const record: Record<string, string[]> = {};
    for (const [name, c] of clients) {
      const frames = c.take();
      record[name] = normalise(
        frames.length === 0 ? [] : splitFrames(new Uint8Array(Buffer.from(frames.join(""), "latin1"))),
        step.compare ?? "exact",
      );
    }
    outputs.push(record);
  }
  return outputs;
}

/** Waits until no client has received anything for `quietMs` (Redis flushes all of a step's writes together). */
async function settle(
  connections: readonly RawConnection[],
  pending: Map<RawConnection, Uint8Array[]>,
  first: RawConnection | undefined,
  step: string,
): Promise<void> {
  // Generous: in CI redis-server shares two cores with the server suite running beside it.
  const deadline = Date.now() + 30_000;
  let sawFirst = first === undefined;
  let quietSince = Date.now();
  for (;;) {
    const late = Date.now() >= deadline;
    await sleep(5);
    // Timers run before I/O callbacks: after a stall, give pending socket reads one turn first.
    await new Promise((resolve) => setImmediate(resolve));
    let got = false;
    for (const connection of connections) {
      const bytes = connection.take();
      if (bytes.length === 0) continue;
      got = true;
      pending.get(connection)!.push(bytes);
      if (connection === first) sawFirst = true;
    }
    if (got) quietSince = Date.now();
    else if (sawFirst && Date.now() - quietSince >= 100) return;
    if (late && !got) break;
  }
  const received = [...pending.values()].map((chunks) => JSON.stringify(Buffer.concat(chunks).toString("latin1")));
  throw new Error(`redis-server did not answer ${step} within 30 s; received so far: ${received.join(" | ")}`);
}

export async function runOnRedis(socketPath: string, scenario: Scenario): Promise<ScenarioOutputs> {
  const control = await RawConnection.open(socketPath);
  control.send(["FLUSHALL"]);
  control.send(["CONFIG", "SET", "notify-keyspace-events", ""]);
  await sleep(20);
  control.close();
  const clients = new Map<string, RawConnection>();
  for (const name of scenario.clients) clients.set(name, await RawConnection.open(socketPath));
  const outputs: ScenarioOutputs = [];
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const client = clients.get(step.client)!;
      const pending = new Map<RawConnection, Uint8Array[]>([...clients.values()].map((c) => [c, []]));
      if (step.disconnect) {
        client.close();
        clients.delete(step.client);
        pending.delete(client);
        await sleep(30); // let redis-server notice the close before the next step
      } else {
        client.send(step.args!);
      }
      const label = `step ${index} (${step.client}: ${step.disconnect ? "disconnect" : step.args!.join(" ")})`;
      // An array, not pending.keys(): settle iterates it on every poll, and an iterator runs once.
      await settle([...pending.keys()], pending, step.disconnect ? undefined : client, label);
      const record: Record<string, string[]> = {};
      for (const name of scenario.clients) {
        const connection = clients.get(name);
        const chunks = connection === undefined ? [] : pending.get(connection)!;
        const bytes = new Uint8Array(Buffer.concat(chunks));
        record[name] = normalise(bytes.length === 0 ? [] : splitFrames(bytes), step.compare ?? "exact");
      }
      outputs.push(record);
    }
  } finally {
    for (const connection of clients.values()) connection.close();
  }
  return outputs;
}
