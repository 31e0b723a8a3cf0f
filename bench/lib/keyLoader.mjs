// Bulk loader for bench:memory: writes exactly N keys `key:<i>` with fixed-size values over one
// raw connection, in large pipelined batches of MSET (or SET where MSET is not supported).
/**
 * The value stored under key i in write pass `pass`: exactly `size` bytes of ASCII, different
 * for every pass so an overwrite really replaces the bytes.
 * @param {number} i
 * @param {number} pass
 * @param {number} size
 */
export function valueFor(i, pass, size) {
  const text = `p${pass}:${i}`;
  return text.length >= size ? text.slice(text.length - size) : text.padStart(size, '.');
}

/**
 * Encodes keys [from, to) of one pass as MSET commands of up to `perCommand` pairs, or as one
 * SET per key.
 * @param {number} from
 * @param {number} to
 * @param {number} pass
 * @param {{ valueSize: number, useMset: boolean, perCommand: number }} o
 * @returns {{ payload: Buffer, commands: number }}
 */
export function encodeBatch(from, to, pass, o) {
  const parts = [];
  let commands = 0;
  if (o.useMset) {
    for (let start = from; start < to; start += o.perCommand) {
      const end = Math.min(to, start + o.perCommand);
      let command = `*${1 + 2 * (end - start)}\r\n$4\r\nMSET\r\n`;
      for (let i = start; i < end; i++) {
        const key = `key:${i}`;
        command += `$${key.length}\r\n${key}\r\n$${o.valueSize}\r\n${valueFor(i, pass, o.valueSize)}\r\n`;
      }
      parts.push(command);
      commands++;
    }
  } else {
    for (let i = from; i < to; i++) {
      const key = `key:${i}`;
      parts.push(
        `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${o.valueSize}\r\n${valueFor(i, pass, o.valueSize)}\r\n`,
      );
      commands++;
    }
  }
  return { payload: Buffer.from(parts.join(''), 'latin1'), commands };
}

/**
 * Whether the server accepts MSET (probed by writing key:0's real value with it).
 * @param {import('./respClient.mjs').RespClient} client
 * @param {number} valueSize
 */
export async function supportsMset(client, valueSize) {
  const reply = await client.call('MSET', 'key:0', valueFor(0, 0, valueSize));
  return reply === 'OK';
}

/**
 * Writes keys 0..keys-1 once (pass 0 = initial load, pass ≥ 1 = overwrite). Two batches are kept
 * in flight so encoding the next batch overlaps the server's work on the current one.
 * @param {import('./respClient.mjs').RespClient} client
 * @param {{ keys: number, pass: number, valueSize: number, useMset: boolean, batchKeys: number,
 *   perCommand: number }} o
 * @returns {Promise<{ seconds: number }>}
 */
export async function writeAllKeys(client, o) {
  const started = process.hrtime.bigint();
  /** @type {Promise<{ errors: number, firstError: string | null }>[]} */
  const inFlight = [];
  const settle = async () => {
    const result = await /** @type {Promise<{ errors: number, firstError: string | null }>} */ (inFlight.shift());
    if (result.errors > 0) throw new Error(`${result.errors} error replies while loading, first: ${result.firstError}`);
  };
  for (let from = 0; from < o.keys; from += o.batchKeys) {
    const to = Math.min(o.keys, from + o.batchKeys);
    const { payload, commands } = encodeBatch(from, to, o.pass, o);
    const reply = client.send(payload, commands);
    reply.catch(() => undefined); // a failure is rethrown when this batch is awaited in settle()
    inFlight.push(reply);
    if (inFlight.length >= 2) await settle();
  }
  while (inFlight.length > 0) await settle();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
