// Incremental RESP2/RESP3 reply reader: enough to count pipelined replies and read INFO/DBSIZE,
// without depending on the server under test being compatible with a full client library.

/** An error reply from the server ("-ERR ..."), kept as a value rather than thrown. */
export class ReplyError {
  /** @param {string} message */
  constructor(message) {
    this.message = message;
  }
}

const CR = 13;

/**
 * Parses one reply starting at `offset`.
 * @param {Buffer} buf
 * @param {number} offset
 * @returns {{ value: unknown, next: number } | null} null when the reply is not complete yet
 */
export function parseReply(buf, offset) {
  if (offset >= buf.length) return null;
  const lineEnd = buf.indexOf(CR, offset);
  if (lineEnd < 0 || lineEnd + 1 >= buf.length) return null;
  const type = buf[offset];
  const line = buf.toString('latin1', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case 0x2b: // '+'
      return { value: line, next: afterLine };
    case 0x2d: // '-'
    case 0x21: // '!' RESP3 blob error: treated like a simple error line for our purposes
      return { value: new ReplyError(line), next: afterLine };
    case 0x3a: // ':'
      return { value: Number(line), next: afterLine };
    case 0x5f: // '_' RESP3 null
      return { value: null, next: afterLine };
    case 0x23: // '#'
      return { value: line === 't', next: afterLine };
    case 0x2c: // ','
      return { value: Number(line), next: afterLine };
    case 0x24: // '$'
    case 0x3d: {
      // '=' verbatim
      const length = Number(line);
      if (length < 0) return { value: null, next: afterLine };
      if (afterLine + length + 2 > buf.length) return null;
      return { value: buf.toString('utf8', afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case 0x2a: // '*'
    case 0x7e: // '~' set
    case 0x3e: // '>' push
    case 0x25: {
      // '%' map: 2 replies per entry
      const count = Number(line) * (type === 0x25 ? 2 : 1);
      if (count < 0) return { value: null, next: afterLine };
      const items = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, next);
        if (item === null) return null;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected RESP type byte 0x${(type ?? 0).toString(16)} at offset ${offset}`);
  }
}

/**
 * Parses INFO text ("key:value" lines) into a plain object of strings.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseInfo(text) {
  /** @type {Record<string, string>} */
  const fields = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}
