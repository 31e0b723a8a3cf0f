// What a server's memory looks like at one moment: the kernel's view (RSS from /proc) and the
// server's own (INFO memory), plus the key count.
import { readMemory } from './procstat.mjs';
import { parseInfo } from './respReader.mjs';

/**
 * @typedef {{ rssBytes: number, peakRssBytes: number, usedMemory: number, usedMemoryRss: number,
 *   fragmentationRatio: number, dbsize: number }} MemorySnapshot
 */

/** @param {string | undefined} text */
const num = (text) => (text === undefined || text === '' ? Number.NaN : Number(text));

/**
 * @param {{ pid: number }} server
 * @param {import('./respClient.mjs').RespClient} client
 * @returns {Promise<MemorySnapshot>}
 */
export async function memorySnapshot(server, client) {
  const info = await client.call('INFO', 'memory');
  const fields = typeof info === 'string' ? parseInfo(info) : {};
  const dbsize = await client.call('DBSIZE');
  // Read RSS last, after the commands above, so it includes whatever they allocated.
  const { rssBytes, peakRssBytes } = readMemory(server.pid);
  return {
    rssBytes,
    peakRssBytes,
    usedMemory: num(fields.used_memory),
    usedMemoryRss: num(fields.used_memory_rss),
    fragmentationRatio: num(fields.mem_fragmentation_ratio),
    dbsize: typeof dbsize === 'number' ? dbsize : Number.NaN,
  };
}
