// In-process publish throughput of @nedis/pubsub (built dist): PUBLISH to 1, 100 and 1,000
// subscribers with 16 B and 1 KiB messages, plus pattern-matching cost and a per-subscriber
// encode baseline. Prints mitata's report, then a table of deliveries per second.
//
//   pnpm --filter @nedis/pubsub build && pnpm --filter @nedis/pubsub bench
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { encodeMessageFrame, PubSubHub } from "../dist/index.js";

/** Transport stand-in that only looks at the frame (what a writev-queueing transport does). */
class CountingClient {
  protocol = 2;
  bytes = 0;
  deliver(frame) {
    this.bytes += frame.length;
  }
}

/** Transport stand-in that copies every frame into its own 64 KiB output buffer. */
class CopyingClient {
  protocol = 2;
  output = new Uint8Array(64 * 1024);
  used = 0;
  deliver(frame) {
    if (this.used + frame.length > this.output.length) this.used = 0; // "flushed"
    this.output.set(frame, this.used);
    this.used += frame.length;
  }
}

const CHANNEL = new TextEncoder().encode("bench:channel:0001");
const MESSAGES = { "16 B": new Uint8Array(16).fill(0x61), "1 KiB": new Uint8Array(1024).fill(0x62) };

function hubWith(subscribers, Client, patterns = []) {
  const hub = new PubSubHub();
  const clients = [];
  for (let i = 0; i < subscribers; i++) {
    const client = new Client();
    hub.subscribe(client, [CHANNEL]);
    clients.push(client);
  }
  if (patterns.length > 0) hub.psubscribe(new Client(), patterns);
  return { hub, clients };
}

/** name → deliveries per publish, to turn ns/publish into deliveries/s. */
const deliveriesPerPublish = new Map();

for (const [sizeName, message] of Object.entries(MESSAGES)) {
  group(`PUBLISH ${sizeName}`, () => {
    summary(() => {
      for (const subscribers of [1, 100, 1000]) {
        for (const [sinkName, Client] of [
          ["count", CountingClient],
          ["copy", CopyingClient],
        ]) {
          const name = `${sizeName} → ${subscribers} subscriber${subscribers === 1 ? "" : "s"} (${sinkName})`;
          const { hub } = hubWith(subscribers, Client);
          deliveriesPerPublish.set(name, subscribers);
          bench(name, () => do_not_optimize(hub.publish(CHANNEL, message)));
        }
      }
    });
  });
}

group("encode once vs per subscriber (16 B, 1,000 subscribers, count sink)", () => {
  summary(() => {
    const message = MESSAGES["16 B"];
    const { hub, clients } = hubWith(1000, CountingClient);
    deliveriesPerPublish.set("hub.publish: one encode", 1000);
    bench("hub.publish: one encode", () => do_not_optimize(hub.publish(CHANNEL, message)));
    deliveriesPerPublish.set("baseline: encode per subscriber", 1000);
    bench("baseline: encode per subscriber", () => {
      for (const client of clients) client.deliver(encodeMessageFrame(client.protocol, CHANNEL, message));
    });
  });
});

group("pattern subscriptions (16 B, 1 channel subscriber)", () => {
  const message = MESSAGES["16 B"];
  const nonMatching = Array.from({ length: 100 }, (_, i) => `other:${i}:*`);
  const matching = Array.from({ length: 100 }, (_, i) => `bench:*:${String(i).padStart(4, "0")}*`);
  matching[0] = "bench:*";
  for (const [name, patterns, perPublish] of [
    ["100 non-matching patterns", nonMatching, 1],
    ["100 patterns, 2 match", matching, 3],
  ]) {
    const { hub } = hubWith(1, CountingClient, patterns);
    deliveriesPerPublish.set(name, perPublish);
    bench(name, () => do_not_optimize(hub.publish(CHANNEL, message)));
  }
});

const { benchmarks } = await run();

const rows = [["case", "ns / publish", "deliveries / s"]];
for (const trial of benchmarks) {
  for (const r of trial.runs) {
    if (!r.stats) continue;
    const perPublish = deliveriesPerPublish.get(r.name) ?? 1;
    const perSecond = (perPublish * 1e9) / r.stats.avg;
    rows.push([r.name, r.stats.avg.toFixed(0), `${(perSecond / 1e6).toFixed(2)} M`]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
const line = (row) =>
  `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(" | ")} |`;
console.log(`\nNode ${process.version}, ${process.arch}\n`);
console.log(line(rows[0]));
console.log(`|${widths.map((w, c) => (c === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`);
for (const row of rows.slice(1)) console.log(line(row));
