// Minimal RESP client over one loopback socket. It sends pre-encoded pipelines of any size and
// counts their replies, which is what bulk loading needs and what a general client makes slow.
import net from 'node:net';
import { parseReply, ReplyError } from './respReader.mjs';

/**
 * Encodes one command as a RESP array of bulk strings.
 * @param {readonly (string | number)[]} args
 */
export function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const s = String(arg);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return out;
}

/**
 * @typedef {{ remaining: number, values: unknown[] | null, errors: number, firstError: string | null,
 *   resolve: (r: { values: unknown[] | null, errors: number, firstError: string | null }) => void,
 *   reject: (e: Error) => void, timer: NodeJS.Timeout }} Pending
 */

export class RespClient {
  /** @param {net.Socket} socket @param {number} timeoutMs */
  constructor(socket, timeoutMs) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    /** @type {Pending[]} */
    this.pending = [];
    /** @type {Buffer} */
    this.buffered = Buffer.alloc(0);
    /** @type {Error | null} */
    this.failure = null;
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by server')));
  }

  /**
   * Connects to 127.0.0.1:port.
   * @param {number} port
   * @param {{ timeoutMs?: number }} [options]
   * @returns {Promise<RespClient>}
   */
  static connect(port, { timeoutMs = 60_000 } = {}) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const timer = setTimeout(
        () => {
          socket.destroy();
          reject(new Error(`connect to 127.0.0.1:${port} timed out`));
        },
        Math.min(timeoutMs, 5_000),
      );
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new RespClient(socket, timeoutMs));
      });
    });
  }

  /**
   * Sends one command and returns its reply (a ReplyError value for "-ERR" replies).
   * @param {...(string | number)} args
   */
  async call(...args) {
    const result = await this.send(Buffer.from(encodeCommand(args)), 1, true);
    return /** @type {unknown[]} */ (result.values)[0];
  }

  /**
   * Writes `payload` (which must hold exactly `replyCount` commands) and resolves once all
   * replies have arrived, with how many were errors.
   * @param {Buffer} payload
   * @param {number} replyCount
   * @param {boolean} [keepValues]
   */
  send(payload, replyCount, keepValues = false) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no reply within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.pending.push({
        remaining: replyCount,
        values: keepValues ? [] : null,
        errors: 0,
        firstError: null,
        resolve,
        reject,
        timer,
      });
      this.socket.write(payload);
    });
  }

  close() {
    this.failure ??= new Error('client closed');
    this.socket.destroy();
  }

  /** @param {Buffer} chunk */
  onData(chunk) {
    const buf = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    let offset = 0;
    for (;;) {
      const head = this.pending[0];
      if (head === undefined) break;
      let parsed;
      try {
        parsed = parseReply(buf, offset);
      } catch (err) {
        this.fail(/** @type {Error} */ (err));
        return;
      }
      if (parsed === null) break;
      offset = parsed.next;
      if (parsed.value instanceof ReplyError) {
        head.errors++;
        head.firstError ??= parsed.value.message;
      }
      head.values?.push(parsed.value);
      if (--head.remaining === 0) {
        this.pending.shift();
        clearTimeout(head.timer);
        head.resolve({ values: head.values, errors: head.errors, firstError: head.firstError });
      }
    }
    this.buffered = offset === buf.length ? Buffer.alloc(0) : buf.subarray(offset);
  }

  /** @param {Error} err */
  fail(err) {
    if (this.failure === null) this.failure = err;
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.socket.destroy();
  }
}
