// Child process of bench/pubsub.mjs: N raw-socket subscribers on one channel that only count
// delivered messages: by bytes (FixedFrameCounter, every frame has the same size) or by parsing
// headers (RespFrameCounter, --counter resp). Protocol with the parent:
//   parent → { type: 'setup', port, subscribers, channel, payloadBytes, counting }   child → { type: 'ready' }
//   parent → { type: 'start', reportMs }                        child → { type: 'count', delivered, bytes } every reportMs
//   parent → { type: 'stop' }                                   child → { type: 'final', delivered, bytes, minPerSubscriber, maxPerSubscriber }, exits
// Any failure (a subscriber disconnected, an error reply) → { type: 'error', message }.
import net from 'node:net';
import { parentChannel } from './pubsubChildren.mjs';
import { FixedFrameCounter, messageFrameBytes, messageFrameHeader, RespFrameCounter } from './pubsubFrameCounter.mjs';
import { encodeCommand } from './respClient.mjs';

const CONNECT_CONCURRENCY = 50;
const parent = parentChannel();

/** @type {net.Socket[]} */
const sockets = [];
/** @typedef {FixedFrameCounter | RespFrameCounter} MessageCounter */

/** @type {MessageCounter[]} */
const counters = [];
/** Messages received over all sockets (SUBSCRIBE confirmations not included). */
let totalFrames = 0;
let stopping = false;
/** @type {NodeJS.Timeout | null} */
let reportTimer = null;

/**
 * Connects one subscriber and resolves once its SUBSCRIBE is confirmed; from then on every byte
 * it receives goes to its message counter.
 * @param {number} port
 * @param {Buffer} subscribe
 * @param {() => MessageCounter} makeCounter
 */
function connectSubscriber(port, subscribe, makeCounter) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const confirmation = new RespFrameCounter();
    /** @type {MessageCounter | null} */
    let counter = null;
    const timer = setTimeout(() => reject(new Error('SUBSCRIBE not confirmed within 10 s')), 10_000);
    socket.once('connect', () => socket.write(subscribe));
    socket.on('data', (chunk) => {
      try {
        if (counter !== null) {
          totalFrames += counter.feed(chunk);
          if (counter.errors > 0) throw new Error(`subscriber got an error reply: ${counter.firstError}`);
          return;
        }
        confirmation.feed(chunk);
        if (confirmation.errors > 0) throw new Error(`SUBSCRIBE failed: ${confirmation.firstError}`);
        if (confirmation.frames === 0) return;
        // Nothing is published before every subscriber is confirmed, so the confirmation comes alone.
        if (
          confirmation.frames > 1 ||
          confirmation.elementsLeft !== 0 ||
          confirmation.skip !== 0 ||
          confirmation.partial !== null
        ) {
          throw new Error('unexpected data after the SUBSCRIBE confirmation');
        }
        counter = makeCounter();
        counters.push(counter);
        clearTimeout(timer);
        resolve(undefined);
      } catch (err) {
        parent.fail(err);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      if (!stopping) parent.fail(err);
      reject(err);
    });
    socket.on('close', () => {
      // A server that disconnects a subscriber (e.g. output buffer limit) must not go unnoticed.
      if (!stopping) parent.fail(new Error('a subscriber was disconnected by the server'));
    });
    sockets.push(socket);
  });
}

/**
 * @param {number} port
 * @param {number} count
 * @param {string} channel
 * @param {number} payloadBytes
 * @param {'fixed' | 'resp'} counting
 */
async function setup(port, count, channel, payloadBytes, counting) {
  const subscribe = Buffer.from(encodeCommand(['SUBSCRIBE', channel]));
  const frameBytes = messageFrameBytes(Buffer.byteLength(channel), payloadBytes);
  const header = messageFrameHeader(channel, payloadBytes);
  const makeCounter =
    counting === 'fixed' ? () => new FixedFrameCounter(frameBytes, header) : () => new RespFrameCounter();
  for (let i = 0; i < count; i += CONNECT_CONCURRENCY) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + CONNECT_CONCURRENCY); j++)
      batch.push(connectSubscriber(port, subscribe, makeCounter));
    await Promise.all(batch);
  }
}

function delivered() {
  return totalFrames;
}

function bytes() {
  let sum = 0;
  for (const c of counters) sum += c.bytes;
  return sum;
}

parent.onMessage((message) => {
  switch (message.type) {
    case 'setup':
      setup(
        Number(message.port),
        Number(message.subscribers),
        String(message.channel),
        Number(message.payloadBytes),
        message.counting === 'resp' ? 'resp' : 'fixed',
      ).then(
        () => parent.send({ type: 'ready' }),
        (err) => parent.fail(err),
      );
      return;
    case 'start':
      reportTimer = setInterval(
        () => parent.send({ type: 'count', delivered: delivered(), bytes: bytes() }),
        Number(message.reportMs),
      );
      return;
    case 'stop': {
      stopping = true;
      if (reportTimer) clearInterval(reportTimer);
      let min = Number.POSITIVE_INFINITY;
      let max = 0;
      for (const c of counters) {
        min = Math.min(min, c.frames);
        max = Math.max(max, c.frames);
      }
      parent.send({
        type: 'final',
        delivered: delivered(),
        bytes: bytes(),
        minPerSubscriber: min,
        maxPerSubscriber: max,
      });
      for (const s of sockets) s.destroy();
      setTimeout(() => process.exit(0), 50);
      return;
    }
    default:
      parent.fail(new Error(`unknown message ${message.type}`));
  }
});
