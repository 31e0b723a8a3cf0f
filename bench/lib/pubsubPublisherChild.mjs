// Child process of bench/pubsub.mjs: one connection pipelining PUBLISH in fixed batches, a few
// batches in flight, for a fixed time. It sums PUBLISH's integer replies (deliveries the server
// made) and holds back while too many published messages are not yet received (in flight at the
// server or queued for subscribers), so server memory stays bounded.
//   parent → { type: 'setup', port, channel, payloadBytes, batch, window }   child → { type: 'ready' }
//   parent → { type: 'start', durationMs, receivers, maxLagDeliveries }
//   parent → { type: 'delivered', delivered }   (relayed from the subscriber child, ~every 10 ms)
//   child → { type: 'done', published, deliveries, minReceivers, maxReceivers, pausedMs, maxLagDeliveries, maxBacklogDeliveries, elapsedMs, cpuMicros }
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { readCpuMicros } from './procstat.mjs';
import { parentChannel } from './pubsubChildren.mjs';
import { IntegerReplySummer } from './pubsubFrameCounter.mjs';
import { encodeCommand } from './respClient.mjs';

const parent = parentChannel();

/** @type {net.Socket | null} */
let socket = null;
const summer = new IntegerReplySummer();
/** @type {Buffer} */
let batchPayload = Buffer.alloc(0);
let batchSize = 64;
let window = 16;

// Run state.
let running = false;
let finished = false;
let startedAt = 0;
let endsAt = 0;
let receivers = 1;
let maxLag = Number.POSITIVE_INFINITY;
let sentBatches = 0;
let ackedBatches = 0;
let delivered = 0;
let pausedSince = -1;
let pausedMs = 0;
let maxObservedLag = 0;
/** Most deliveries the server had made (acknowledged) that subscribers had not yet counted. */
let maxBacklog = 0;

/**
 * The payload bytes of message i of a run are all the same letter: content does not matter to a
 * server, only size does.
 * @param {number} size
 */
function payload(size) {
  return 'x'.repeat(size);
}

/** @param {number} port @param {string} channel @param {number} payloadBytes */
function setup(port, channel, payloadBytes) {
  batchPayload = Buffer.from(encodeCommand(['PUBLISH', channel, payload(payloadBytes)]).repeat(batchSize));
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.setNoDelay(true);
      socket = s;
      resolve(undefined);
    });
    s.on('error', reject);
    s.on('close', () => {
      if (!finished) parent.fail(new Error('publisher connection closed by the server'));
    });
    s.on('data', onReplies);
  });
}

/** @param {Buffer} chunk */
function onReplies(chunk) {
  try {
    summer.feed(chunk);
  } catch (err) {
    parent.fail(err);
    return;
  }
  if (summer.errors > 0) {
    parent.fail(new Error(`PUBLISH answered with an error: ${summer.firstError}`));
    return;
  }
  const acked = Math.floor(summer.replies / batchSize);
  if (acked !== ackedBatches) {
    ackedBatches = acked;
    pump();
  }
}

/** Sends batches while the window, the clock and the subscribers' lag allow; reports when done. */
function pump() {
  if (!running || socket === null) return;
  const now = performance.now();
  while (sentBatches - ackedBatches < window && now < endsAt) {
    const lag = sentBatches * batchSize * receivers - delivered;
    if (lag > maxObservedLag) maxObservedLag = lag;
    // Always allow a batch once subscribers have caught up fully, so a bound below one batch
    // slows the publisher down instead of stopping it.
    if (lag > 0 && lag + batchSize * receivers > maxLag) {
      if (pausedSince < 0) pausedSince = now;
      return;
    }
    if (pausedSince >= 0) {
      pausedMs += now - pausedSince;
      pausedSince = -1;
    }
    socket.write(batchPayload);
    sentBatches++;
  }
  if (now >= endsAt && ackedBatches === sentBatches) {
    if (pausedSince >= 0) {
      pausedMs += now - pausedSince;
      pausedSince = -1;
    }
    running = false;
    finished = true;
    parent.send({
      type: 'done',
      published: summer.replies,
      deliveries: summer.sum,
      minReceivers: summer.replies > 0 ? summer.min : 0,
      maxReceivers: summer.replies > 0 ? summer.max : 0,
      pausedMs,
      maxLagDeliveries: maxObservedLag,
      maxBacklogDeliveries: maxBacklog,
      elapsedMs: now - startedAt,
      // Read here, before this process exits, on the same /proc clock the parent reads before.
      cpuMicros: readCpuMicros(process.pid),
    });
    setTimeout(() => {
      socket?.destroy();
      process.exit(0);
    }, 50);
  }
}

parent.onMessage((message) => {
  switch (message.type) {
    case 'setup':
      batchSize = Number(message.batch);
      window = Number(message.window);
      setup(Number(message.port), String(message.channel), Number(message.payloadBytes)).then(
        () => parent.send({ type: 'ready' }),
        (err) => parent.fail(err),
      );
      return;
    case 'start':
      receivers = Number(message.receivers);
      maxLag = Number(message.maxLagDeliveries);
      startedAt = performance.now();
      endsAt = startedAt + Number(message.durationMs);
      running = true;
      // Wakes a publisher that is paused (no replies pending) when time runs out.
      setTimeout(pump, Number(message.durationMs) + 1).unref();
      pump();
      return;
    case 'delivered':
      delivered = Number(message.delivered);
      if (summer.sum - delivered > maxBacklog) maxBacklog = summer.sum - delivered;
      pump();
      return;
    default:
      parent.fail(new Error(`unknown message ${message.type}`));
  }
});
