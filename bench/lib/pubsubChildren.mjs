// The pub/sub bench's load generators run as child Node processes (pinned with taskset like the
// servers), talking to the harness over the IPC channel. Every child is registered so that an
// error or Ctrl-C never leaves one behind.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerChild } from './processRegistry.mjs';
import { pinned } from './servers.mjs';
import { sleep } from './stats.mjs';

const LIB_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {{ type: string, [field: string]: unknown }} ChildMessage
 * @typedef {{ name: string, pid: number,
 *   send: (message: ChildMessage) => void,
 *   next: (type: string, timeoutMs: number) => Promise<ChildMessage>,
 *   on: (type: string, handler: (message: ChildMessage) => void) => void,
 *   failure: () => Error | null, failed: Promise<never>,
 *   stop: () => Promise<void> }} LoadChild
 */

/**
 * Starts `bench/lib/<file>` in a child Node process on `cpu` (null: unpinned).
 * A child reports trouble with `{ type: 'error', message }`; that, a crash or an exit rejects
 * every pending `next()`.
 * @param {string} file module file name inside bench/lib
 * @param {number | null} cpu
 * @returns {LoadChild}
 */
export function startLoadChild(file, cpu) {
  const [command, ...args] = pinned([process.execPath, path.join(LIB_DIR, file)], cpu);
  const child = registerChild(
    spawn(/** @type {string} */ (command), args, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  /** @type {Error | null} */
  let failure = null;
  /** @type {Map<string, (message: ChildMessage) => void>} */
  const handlers = new Map();
  /** @type {{ type: string, resolve: (m: ChildMessage) => void, reject: (e: Error) => void, timer: NodeJS.Timeout }[]} */
  let waiting = [];
  /** @type {ChildMessage[]} messages nobody waited for yet (e.g. 'ready' before next('ready')) */
  const queued = [];

  /** @type {(err: Error) => void} */
  let rejectFailed = () => undefined;
  /** @type {Promise<never>} rejects when the child fails; for racing against other waits */
  const failed = new Promise((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => undefined);
  const fail = (/** @type {Error} */ err) => {
    failure ??= err;
    rejectFailed(failure);
    for (const w of waiting) {
      clearTimeout(w.timer);
      w.reject(failure);
    }
    waiting = [];
  };
  child.on('message', (raw) => {
    const message = /** @type {ChildMessage} */ (raw);
    if (message.type === 'error') {
      fail(new Error(`${file}: ${String(message.message)}`));
      return;
    }
    const handler = handlers.get(message.type);
    if (handler) {
      handler(message);
      return;
    }
    const index = waiting.findIndex((w) => w.type === message.type);
    if (index >= 0) {
      const [w] = waiting.splice(index, 1);
      if (w) {
        clearTimeout(w.timer);
        w.resolve(message);
      }
    } else {
      queued.push(message);
    }
  });
  child.once('error', (err) => fail(err));
  child.once('exit', (code, signal) => {
    fail(new Error(`${file} exited (${signal ?? `code ${code}`})${stderr ? `:\n${stderr}` : ''}`));
  });

  return {
    name: file,
    pid: /** @type {number} */ (child.pid),
    send: (message) => {
      // A child that has just exited (the publisher exits right after 'done') fails the write
      // with EPIPE; its exit is what reports it, so a failed send is no failure of its own.
      if (child.connected) child.send(message, () => undefined);
    },
    next: (type, timeoutMs) => {
      const index = queued.findIndex((m) => m.type === type);
      if (index >= 0) return Promise.resolve(/** @type {ChildMessage} */ (queued.splice(index, 1)[0]));
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = waiting.filter((w) => w.timer !== timer);
          reject(new Error(`${file}: no '${type}' within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push({ type, resolve, reject, timer });
      });
    },
    on: (type, handler) => {
      handlers.set(type, handler);
    },
    failure: () => failure,
    failed,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const deadline = Date.now() + 3_000;
        while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(10);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/**
 * Inside a child: the parent's IPC channel, typed. Exits the child when the parent goes away so
 * no load generator outlives the harness.
 */
export function parentChannel() {
  if (typeof process.send !== 'function') throw new Error('this module runs as a child of bench/pubsub.mjs');
  process.on('disconnect', () => process.exit(0));
  const send = /** @type {(message: ChildMessage) => void} */ (process.send.bind(process));
  return {
    send,
    /** @param {unknown} err */
    fail: (err) => {
      send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      setTimeout(() => process.exit(1), 100);
    },
    /** @param {(message: ChildMessage) => void} handler */
    onMessage: (handler) => process.on('message', (m) => handler(/** @type {ChildMessage} */ (m))),
  };
}
