import type { Job, Processor } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { drained, QueueUnderTest } from "./bullmqHarness.js";

// BullMQ end to end: its Queue and Worker run nearly every operation as a Lua script (EVALSHA,
// falling back to EVAL), so a job system working on a server is the broadest check that the
// server's scripting matches Redis's. Each test has its own queue and obliterates it at the end.
describe("BullMQ end to end", () => {
  const target = useTarget();
  const opened: QueueUnderTest[] = [];
  const open = (label: string, processor: Processor, options?: { autorun?: boolean }) => {
    const q = new QueueUnderTest(target, label, processor, options);
    opened.push(q);
    return q;
  };

  afterAll(async () => {
    for (const q of opened) await q.close();
  });

  /** Removes the queue and checks nothing of it is left on the server. */
  async function obliterate(q: QueueUnderTest): Promise<void> {
    await q.obliterate();
    expect(await target.client().keys(`bull:${q.name}:*`)).toEqual([]);
  }

  it("processes added jobs and records their results", async () => {
    const q = open("sum", async (job: Job<{ a: number; b: number }>) => job.data.a + job.data.b);
    await q.events.waitUntilReady();
    const bulk = Array.from({ length: 200 }, (_, i) => ({ name: "sum", data: { a: i, b: 1000 } }));
    const added = await q.queue.addBulk(bulk);
    const single = await q.queue.add("sum", { a: 20, b: 22 });
    expect(await single.waitUntilFinished(q.events, 10_000)).toBe(42);
    await q.until(() => q.completed.length === 201, "201 completions");

    for (const [i, job] of added.entries()) {
      const stored = await q.queue.getJob(job.id as string);
      expect(stored?.returnvalue).toBe(i + 1000);
      expect(stored?.finishedOn).toBeGreaterThanOrEqual(stored?.processedOn ?? Number.POSITIVE_INFINITY);
    }
    expect(await q.counts()).toEqual(drained({ completed: 201 }));
    await obliterate(q);
  });

  it("fires delayed jobs after their delay, in delay order", async () => {
    const q = open("delayed", async (job: Job) => job.name);
    const delays = [1200, 400, 800];
    for (const delay of delays) await q.queue.add(`after-${delay}`, {}, { delay });
    expect(await q.queue.getJobCounts("delayed", "waiting")).toEqual({ delayed: 3, waiting: 0 });

    await q.until(() => q.completed.length === 3, "3 delayed completions");
    expect(q.completed.map((job) => job.name)).toEqual(["after-400", "after-800", "after-1200"]);
    for (const job of q.completed) {
      const delay = Number(job.name.slice("after-".length));
      expect((job.processedOn ?? 0) - job.timestamp).toBeGreaterThanOrEqual(delay);
    }
    expect(await q.counts()).toEqual(drained({ completed: 3 }));
    await obliterate(q);
  });

  it("hands out prioritized jobs by priority, then plain jobs", async () => {
    // autorun off: every job is queued before the worker takes the first one.
    const q = open("priority", async () => undefined, { autorun: false });
    const names = new Map<string, string>();
    const add = async (name: string, priority?: number) => {
      const job = await q.queue.add(name, {}, priority === undefined ? {} : { priority });
      names.set(job.id as string, name);
    };
    await add("plain");
    for (const priority of [7, 2, 5, 1, 9, 3]) await add(`p${priority}`, priority);
    await add("p2-later", 2);
    expect(await q.queue.getJobCounts("prioritized", "waiting")).toEqual({ prioritized: 7, waiting: 1 });

    void q.worker.run();
    await q.until(() => q.completed.length === 8, "8 completions");
    // The order the server activated them in, as its scripts logged it (with concurrency 50 the
    // processor calls could start in another order when replies arrive together).
    const activated: string[] = [];
    for (const [, fields] of await target.client().xrange(`bull:${q.name}:events`, "-", "+")) {
      const event = new Map<string | undefined, string | undefined>();
      for (let i = 0; i < fields.length; i += 2) event.set(fields[i], fields[i + 1]);
      if (event.get("event") === "active") activated.push(names.get(event.get("jobId") ?? "") ?? "unknown job");
    }
    // Plain jobs (priority 0) come before prioritized ones; equal priorities keep insertion order.
    expect(activated).toEqual(["plain", "p1", "p2", "p2-later", "p3", "p5", "p7", "p9"]);
    expect(await q.counts()).toEqual(drained({ completed: 8 }));
    await obliterate(q);
  });

  it("fires a repeatable job at least twice", async () => {
    const q = open("repeat", async (job: Job<{ tick: boolean }>) => job.data.tick);
    await q.queue.upsertJobScheduler("ticker", { every: 200, limit: 3 }, { name: "tick", data: { tick: true } });
    expect(await q.queue.getJobSchedulersCount()).toBe(1);

    await q.until(() => q.completed.length >= 3, "3 ticks");
    const ticks = q.completed.slice(0, 3);
    for (const job of ticks) {
      expect(job.name).toBe("tick");
      expect(job.returnvalue).toBe(true);
      expect(job.repeatJobKey).toBe("ticker");
    }
    // A scheduler's job id is `repeat:<scheduler id>:<the ms it is due>`: due every 200 ms, run no earlier.
    const dueAt = ticks.map((job) => Number(job.id?.split(":").pop()));
    for (const [i, job] of ticks.entries()) {
      expect(job.processedOn).toBeGreaterThanOrEqual(dueAt[i] ?? Number.NaN);
      if (i > 0) expect((dueAt[i] ?? 0) - (dueAt[i - 1] ?? 0)).toBe(200);
    }
    await q.queue.removeJobScheduler("ticker");
    expect(await q.queue.getJobSchedulersCount()).toBe(0);
    expect(await q.counts()).toEqual(drained({ completed: 3 }));
    await obliterate(q);
  });

  it("retries a throwing job with backoff, then records it as failed with its reason", async () => {
    const attemptStarts: number[] = [];
    const q = open("retry", async (job: Job) => {
      attemptStarts.push(Date.now());
      throw new Error(`boom on attempt ${job.attemptsMade + 1}`);
    });
    const added = await q.queue.add("flaky", {}, { attempts: 3, backoff: { type: "fixed", delay: 150 } });

    await q.until(() => q.failedAttempts.length === 3, "3 failed attempts");
    expect(q.failedAttempts.map(({ error }) => error.message)).toEqual([
      "boom on attempt 1",
      "boom on attempt 2",
      "boom on attempt 3",
    ]);
    // Attempts are apart by at least the backoff (1 ms slack: Date.now here vs the job's own clock).
    const gaps = attemptStarts.slice(1).map((start, i) => start - (attemptStarts[i] ?? start));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(149);

    const failed = await q.queue.getJob(added.id as string);
    if (failed === undefined) throw new Error("the failed job is gone");
    expect(await failed.getState()).toBe("failed");
    expect(failed.attemptsMade).toBe(3);
    expect(failed.failedReason).toBe("boom on attempt 3");
    const stacks = failed.stacktrace ?? [];
    expect(stacks).toHaveLength(3);
    for (const stack of stacks) expect(stack).toMatch(/^Error: boom on attempt \d\n\s+at /);
    expect(q.completed).toEqual([]);
    expect(await q.counts()).toEqual(drained({ failed: 1 }));
    await obliterate(q);
  });

  it("drains a mixed load and obliterates the queue", async () => {
    const q = open("mixed", async (job: Job<{ n: number }>) => {
      if (job.data.n % 10 === 0) throw new Error(`multiple of ten: ${job.data.n}`);
      return job.data.n * 2;
    });
    const jobs = Array.from({ length: 100 }, (_, n) => ({
      name: "mixed",
      data: { n },
      opts: { priority: n % 4, delay: n % 3 === 0 ? 50 : 0, attempts: 1 },
    }));
    await q.queue.addBulk(jobs);

    await q.until(() => q.completed.length + q.failedAttempts.length === 100, "100 outcomes");
    expect(q.failedAttempts).toHaveLength(10);
    expect(new Set(q.completed.map((job) => job.returnvalue))).toEqual(
      new Set(jobs.filter(({ data }) => data.n % 10 !== 0).map(({ data }) => data.n * 2)),
    );
    expect(await q.counts()).toEqual(drained({ completed: 90, failed: 10 }));
    await obliterate(q);
  });
});
