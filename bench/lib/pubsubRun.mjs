// One measured pub/sub run: N subscribers (one child process) and one pipelining publisher
// (another), server CPU read from /proc around the publishing and the drain that follows.
import { performance } from 'node:perf_hooks';
import { readCpuMicros } from './procstat.mjs';
import { startLoadChild } from './pubsubChildren.mjs';
import { messageFrameBytes } from './pubsubFrameCounter.mjs';
import { callOnce } from './servers.mjs';
import { sleep } from './stats.mjs';

/** How often the subscriber child reports its count (and the publisher learns the lag). */
export const REPORT_MS = 10;

/**
 * @typedef {{ subscribers: number, payloadBytes: number, seconds: number, batch: number, window: number,
 *   maxLagBytesPerSubscriber: number, maxLagBytesTotal: number, drainTimeoutMs: number, clientCpu: number | null,
 *   channel: string, counting: 'fixed' | 'resp' }} RunShape
 * @typedef {{ ok: true, published: number, deliveries: number, delivered: number, deliveredBytes: number,
 *   seconds: number, publishSeconds: number, serverCpuMicros: number, subscriberCpuMicros: number,
 *   publisherCpuMicros: number, pausedMs: number, maxLagDeliveries: number, maxBacklogDeliveries: number,
 *   maxLagBound: number, minPerSubscriber: number, maxPerSubscriber: number, drained: boolean }} RunResult
 * @typedef {RunResult | { ok: false, error: string }} MeasuredPubsubRun
 */

/**
 * How many undelivered messages (deliveries) the publisher may leave in flight: the smaller of
 * a per-subscriber and a total byte budget, in whole frames, at least one.
 * @param {{ subscribers: number, payloadBytes: number, channelBytes: number,
 *   maxLagBytesPerSubscriber: number, maxLagBytesTotal: number }} shape
 */
export function maxLagDeliveries(shape) {
  const frame = messageFrameBytes(shape.channelBytes, shape.payloadBytes);
  const bytes = Math.min(shape.maxLagBytesPerSubscriber * shape.subscribers, shape.maxLagBytesTotal);
  return Math.max(1, Math.floor(bytes / frame));
}

/**
 * Runs one measurement against `server`. Never throws: failures come back as `{ ok: false }`.
 * @param {import('./servers.mjs').RunningServer} server
 * @param {RunShape} shape
 * @returns {Promise<MeasuredPubsubRun>}
 */
export async function measuredPubsubRun(server, shape) {
  const subscriberChild = startLoadChild('pubsubSubscriberChild.mjs', shape.clientCpu);
  const publisherChild = startLoadChild('pubsubPublisherChild.mjs', shape.clientCpu);
  const setupTimeoutMs = 30_000 + shape.subscribers * 20;
  try {
    subscriberChild.send({
      type: 'setup',
      port: server.port,
      subscribers: shape.subscribers,
      channel: shape.channel,
      payloadBytes: shape.payloadBytes,
      counting: shape.counting,
    });
    publisherChild.send({
      type: 'setup',
      port: server.port,
      channel: shape.channel,
      payloadBytes: shape.payloadBytes,
      batch: shape.batch,
      window: shape.window,
    });
    await Promise.all([subscriberChild.next('ready', setupTimeoutMs), publisherChild.next('ready', setupTimeoutMs)]);
    const numsub = await callOnce(server.port, 'PUBSUB', 'NUMSUB', shape.channel);
    const counted = Array.isArray(numsub) ? Number(numsub[1]) : Number.NaN;
    if (counted !== shape.subscribers)
      throw new Error(`PUBSUB NUMSUB says ${counted} subscribers, expected ${shape.subscribers}`);

    const lagBound = maxLagDeliveries({ ...shape, channelBytes: Buffer.byteLength(shape.channel) });
    let delivered = 0;
    let deliveredBytes = 0;
    // The publisher exits once it has said 'done'; nothing is forwarded to it after that.
    let publisherDone = false;
    subscriberChild.on('count', (m) => {
      delivered = Number(m.delivered);
      deliveredBytes = Number(m.bytes);
      if (!publisherDone) publisherChild.send({ type: 'delivered', delivered });
    });

    const cpuBefore = readCpuMicros(server.pid);
    const subscriberCpuBefore = readCpuMicros(subscriberChild.pid);
    const publisherCpuBefore = readCpuMicros(publisherChild.pid);
    const startedAt = performance.now();
    subscriberChild.send({ type: 'start', reportMs: REPORT_MS });
    publisherChild.send({
      type: 'start',
      durationMs: shape.seconds * 1000,
      receivers: shape.subscribers,
      maxLagDeliveries: lagBound,
    });
    const done = await Promise.race([
      publisherChild.next('done', shape.seconds * 1000 + 60_000),
      subscriberChild.failed,
    ]);
    publisherDone = true;
    const publishedAt = performance.now();
    const publisherCpuMicros = Number(done.cpuMicros) - publisherCpuBefore;
    const deliveries = Number(done.deliveries);

    // Drain: every delivery the server reported must reach a subscriber, within a time bound.
    const drainDeadline = publishedAt + shape.drainTimeoutMs;
    while (delivered < deliveries && performance.now() < drainDeadline) {
      const failure = subscriberChild.failure();
      if (failure) throw failure;
      await sleep(1);
    }
    const endedAt = performance.now();
    const serverCpuMicros = readCpuMicros(server.pid) - cpuBefore;
    const subscriberCpuMicros = readCpuMicros(subscriberChild.pid) - subscriberCpuBefore;

    subscriberChild.send({ type: 'stop' });
    const final = await subscriberChild.next('final', 10_000);
    const failure = subscriberChild.failure() ?? publisherChild.failure();
    if (failure && !/exited/.test(failure.message)) throw failure;
    if (Number(done.minReceivers) !== shape.subscribers || Number(done.maxReceivers) !== shape.subscribers) {
      throw new Error(
        `PUBLISH reached ${done.minReceivers}–${done.maxReceivers} subscribers, expected ${shape.subscribers}`,
      );
    }
    if (Number(final.delivered) > deliveries || Number(final.maxPerSubscriber) > Number(done.published)) {
      throw new Error(
        `subscribers counted ${final.delivered} messages (at most ${final.maxPerSubscriber} on one) but only ${deliveries} were delivered (${done.published} published): the counter is wrong`,
      );
    }
    return {
      ok: true,
      published: Number(done.published),
      deliveries,
      delivered: Number(final.delivered),
      deliveredBytes: Number(final.bytes) || deliveredBytes,
      seconds: (endedAt - startedAt) / 1000,
      publishSeconds: (publishedAt - startedAt) / 1000,
      serverCpuMicros,
      subscriberCpuMicros,
      publisherCpuMicros,
      pausedMs: Number(done.pausedMs),
      maxLagDeliveries: Number(done.maxLagDeliveries),
      maxBacklogDeliveries: Number(done.maxBacklogDeliveries),
      maxLagBound: lagBound,
      minPerSubscriber: Number(final.minPerSubscriber),
      maxPerSubscriber: Number(final.maxPerSubscriber),
      drained: Number(final.delivered) >= deliveries,
    };
  } catch (err) {
    const detail = server.exited() ? `\n--- ${server.name} output ---\n${server.output().slice(-2_000)}` : '';
    return { ok: false, error: `${err instanceof Error ? err.message : String(err)}${detail}` };
  } finally {
    await Promise.all([subscriberChild.stop(), publisherChild.stop()]);
    // Let the server close the subscribers before anything else is measured on it.
    await waitForNoSubscribers(server, shape.channel);
  }
}

/**
 * @param {import('./servers.mjs').RunningServer} server
 * @param {string} channel
 */
async function waitForNoSubscribers(server, channel) {
  const deadline = Date.now() + 5_000;
  while (!server.exited() && Date.now() < deadline) {
    try {
      const reply = await callOnce(server.port, 'PUBSUB', 'NUMSUB', channel);
      if (Array.isArray(reply) && Number(reply[1]) === 0) return;
    } catch {
      return;
    }
    await sleep(20);
  }
}
