import { randomUUID } from "node:crypto";
import { type Job, type Processor, Queue, QueueEvents, Worker } from "bullmq";
import type { Target } from "../utils/target.js";

/**
 * One BullMQ queue under test: a Queue, a Worker (concurrency 50) and QueueEvents on a queue name
 * no other test uses, with every worker outcome recorded so a test can await a count instead of
 * sleeping. BullMQ drives the server almost only through EVALSHA of its Lua scripts (and XREAD
 * BLOCK for QueueEvents), so this exercises scripting end to end.
 */
export class QueueUnderTest {
  readonly name: string;
  readonly queue: Queue;
  readonly worker: Worker;
  readonly events: QueueEvents;
  /** Jobs the worker completed, in the order it reported them. */
  readonly completed: Job[] = [];
  /** Every failed attempt (a retried job appears once per attempt), in order. */
  readonly failedAttempts: { job: Job; error: Error }[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(target: Target, label: string, processor: Processor, options: { autorun?: boolean } = {}) {
    this.name = `${label}-${randomUUID().slice(0, 8)}`;
    // Blocking commands (BZPOPMIN, XREAD BLOCK) need ioredis to retry forever: BullMQ insists.
    const connection = { host: target.host, port: target.port, maxRetriesPerRequest: null };
    this.queue = new Queue(this.name, { connection });
    this.worker = new Worker(this.name, processor, {
      connection,
      concurrency: 50,
      autorun: options.autorun ?? true,
    });
    this.events = new QueueEvents(this.name, { connection });
    this.worker.on("completed", (job) => {
      this.completed.push(job);
      this.wake();
    });
    this.worker.on("failed", (job, error) => {
      if (job !== undefined) this.failedAttempts.push({ job, error });
      this.wake();
    });
    // An 'error' without a listener would be thrown out of the emitter and kill the test run.
    this.worker.on("error", () => this.wake());
  }

  /** Resolves once `condition` holds (checked now and after every worker event); rejects after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `${this.name}: timed out after ${timeoutMs} ms waiting for ${what} ` +
              `(completed ${this.completed.length}, failed attempts ${this.failedAttempts.length})`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Every job state's count, for comparing against the expected drained state. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts();
  }

  /** Stops the worker (letting active jobs finish), then removes every key of the queue. */
  async obliterate(): Promise<void> {
    await this.worker.close();
    await this.queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await this.worker.close(true);
    await this.events.close();
    await this.queue.close();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

/** The drained state: every count zero except those given. */
export function drained(expected: { completed?: number; failed?: number }): Record<string, number> {
  return {
    active: 0,
    completed: expected.completed ?? 0,
    delayed: 0,
    failed: expected.failed ?? 0,
    prioritized: 0,
    waiting: 0,
    "waiting-children": 0,
  };
}
