// One run of bench/notifyLag.mjs against one server: subscribe to expired events, load N keys
// with deadlines spread over the next seconds, timestamp every event as it arrives.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { readCpuMicros } from './procstat.mjs';
import { encodeSetBatch, expiredEventKey, keyIndex, lagSummary, ttlOffsets } from './pubsubLag.mjs';
import { RespClient } from './respClient.mjs';
import { parseReply, ReplyError } from './respReader.mjs';
import { sleep } from './stats.mjs';

export const EXPIRED_CHANNEL = '__keyevent@0__:expired';

/**
 * @typedef {{ keys: number, minTtlMs: number, maxTtlMs: number, graceMs: number, setMode: 'pxat' | 'px',
 *   batch: number, seed: number, idleMs: number }} LagShape
 * @typedef {{ ok: true, summary: import('./pubsubLag.mjs').LagSummary, loadSeconds: number,
 *   loadOverlappedDeadlines: boolean, waitSeconds: number, serverCpuMicros: number, idleCpuMicrosPerSecond: number,
 *   duplicateEvents: number, unknownEvents: number, keysLeft: number }} LagRunResult
 * @typedef {LagRunResult | { ok: false, error: string }} MeasuredLagRun
 */

/**
 * A subscriber on the expired-events channel that records, per key index, when its event
 * arrived (ms since the epoch, sub-millisecond, on the caller's clock).
 * @param {number} port
 * @param {number} keys
 * @param {() => number} now
 */
function expiredListener(port, keys, now) {
  const arrivals = new Float64Array(keys).fill(Number.NaN);
  let received = 0;
  let duplicates = 0;
  let unknown = 0;
  /** @type {Error | null} */
  let failure = null;
  let buffered = Buffer.alloc(0);
  const socket = net.connect({ host: '127.0.0.1', port });
  const confirmed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('SUBSCRIBE not confirmed within 10 s')), 10_000);
    socket.once('connect', () =>
      socket.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${EXPIRED_CHANNEL.length}\r\n${EXPIRED_CHANNEL}\r\n`),
    );
    socket.on('error', (err) => {
      failure ??= err;
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      failure ??= new Error('expired-events subscriber disconnected');
    });
    socket.on('data', (chunk) => {
      // One timestamp per read: every event in it arrived at the same moment for a client.
      const arrivedAt = now();
      const buf = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      let offset = 0;
      try {
        for (let parsed = parseReply(buf, offset); parsed !== null; parsed = parseReply(buf, offset)) {
          offset = parsed.next;
          const frame = parsed.value;
          if (frame instanceof ReplyError) throw new Error(`SUBSCRIBE failed: ${frame.message}`);
          if (Array.isArray(frame) && frame[0] === 'subscribe') {
            clearTimeout(timer);
            resolve(undefined);
            continue;
          }
          const key = expiredEventKey(frame, EXPIRED_CHANNEL);
          const i = key === null ? -1 : keyIndex(key, keys);
          if (i < 0) unknown++;
          else if (Number.isNaN(arrivals[i])) {
            arrivals[i] = arrivedAt;
            received++;
          } else duplicates++;
        }
      } catch (err) {
        failure ??= /** @type {Error} */ (err);
        socket.destroy();
      }
      buffered = offset === buf.length ? Buffer.alloc(0) : buf.subarray(offset);
    });
  });
  return {
    confirmed,
    arrivals,
    received: () => received,
    duplicates: () => duplicates,
    unknown: () => unknown,
    failure: () => failure,
    close: () => socket.destroy(),
  };
}

/**
 * Runs one lag measurement. Never throws: failures come back as `{ ok: false }`.
 * @param {import('./servers.mjs').RunningServer} server
 * @param {LagShape} shape
 * @returns {Promise<MeasuredLagRun>}
 */
export async function measuredLagRun(server, shape) {
  // One clock for deadlines and arrivals: the wall clock (what the server's expiry compares
  // against), advanced with the monotonic clock for sub-millisecond arrival times.
  const clockBase = Date.now();
  const perfBase = performance.now();
  const now = () => clockBase + (performance.now() - perfBase);

  /** @type {RespClient | null} */
  let control = null;
  /** @type {ReturnType<typeof expiredListener> | null} */
  let listener = null;
  try {
    control = await RespClient.connect(server.port, { timeoutMs: 60_000 });
    const configured = await control.call('CONFIG', 'SET', 'notify-keyspace-events', 'Ex');
    if (configured !== 'OK') throw new Error(`CONFIG SET notify-keyspace-events Ex: ${describe(configured)}`);
    await control.call('FLUSHALL');
    listener = expiredListener(server.port, shape.keys, now);
    await listener.confirmed;

    // The server's CPU while idle, as the baseline of what it spends while keys expire.
    const idleCpuBefore = readCpuMicros(server.pid);
    const idleStart = now();
    await sleep(shape.idleMs);
    const idleCpuMicrosPerSecond = ((readCpuMicros(server.pid) - idleCpuBefore) * 1000) / (now() - idleStart);

    const loadStart = now();
    const loadBase = Math.ceil(loadStart);
    const deadlines = ttlOffsets(shape.keys, shape.minTtlMs, shape.maxTtlMs, shape.seed);
    for (let i = 0; i < deadlines.length; i++) deadlines[i] = loadBase + /** @type {number} */ (deadlines[i]);
    /** @type {Promise<{ errors: number, firstError: string | null }>[]} */
    const inFlight = [];
    for (let from = 0; from < shape.keys; from += shape.batch) {
      const to = Math.min(shape.keys, from + shape.batch);
      inFlight.push(control.send(encodeSetBatch(deadlines, from, to, shape.setMode, now()), to - from));
      // Two batches in flight: the server always has the next one while replying to this one.
      if (inFlight.length >= 2)
        checkLoaded(await /** @type {Promise<{ errors: number, firstError: string | null }>} */ (inFlight.shift()));
    }
    for (const pending of inFlight) checkLoaded(await pending);
    const loadEnd = now();

    const cpuBefore = readCpuMicros(server.pid);
    const waitStart = now();
    const waitUntil = loadBase + shape.maxTtlMs + shape.graceMs;
    while (listener.received() < shape.keys && now() < waitUntil) {
      const failure = listener.failure();
      if (failure) throw failure;
      if (server.exited()) throw new Error(`${server.name} exited`);
      await sleep(20);
    }
    const waitEnd = now();
    const serverCpuMicros = readCpuMicros(server.pid) - cpuBefore;
    const keysLeft = Number(await control.call('DBSIZE'));
    return {
      ok: true,
      summary: lagSummary(deadlines, listener.arrivals),
      loadSeconds: (loadEnd - loadStart) / 1000,
      loadOverlappedDeadlines: loadEnd > loadBase + shape.minTtlMs,
      waitSeconds: (waitEnd - waitStart) / 1000,
      serverCpuMicros,
      idleCpuMicrosPerSecond,
      duplicateEvents: listener.duplicates(),
      unknownEvents: listener.unknown(),
      keysLeft,
    };
  } catch (err) {
    const detail = server.exited() ? `\n--- ${server.name} output ---\n${server.output().slice(-2_000)}` : '';
    return { ok: false, error: `${err instanceof Error ? err.message : String(err)}${detail}` };
  } finally {
    listener?.close();
    if (control !== null && !server.exited()) {
      // Leave the server as it was found: empty, notifications off.
      await control.call('FLUSHALL').catch(() => undefined);
      await control.call('CONFIG', 'SET', 'notify-keyspace-events', '').catch(() => undefined);
    }
    control?.close();
  }
}

/** @param {{ errors: number, firstError: string | null }} result */
function checkLoaded(result) {
  if (result.errors > 0) throw new Error(`SET failed: ${result.firstError}`);
}

/** @param {unknown} reply */
function describe(reply) {
  return reply instanceof ReplyError ? reply.message : JSON.stringify(reply);
}
