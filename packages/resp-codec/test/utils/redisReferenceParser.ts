/**
 * A literal port of Redis 7.0's request path (networking.c `processInputBuffer`,
 * `processInlineBuffer`, `processMultibulkBuffer`; sds.c `sdssplitargs`; util.c `string2ll`),
 * written for clarity, not speed. Bytes are appended one at a time and the buffer is processed
 * after each, which is the strictest chunking Redis can see; `RequestParser` must agree with it
 * for every stream and every chunking.
 */

export interface ReferenceLimits {
  maxBulkLength: number;
  maxInlineLength: number;
  authenticated: boolean;
}

export interface ReferenceResult {
  commands: string[][];
  /** The protocol error reason (`invalid bulk length`, …), or null. */
  error: string | null;
}

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/** util.c string2ll, over BigInt so the int64 range is exact. */
export function string2ll(s: Uint8Array): bigint | null {
  const slen = s.length;
  if (slen === 0 || slen >= 21) return null;
  if (slen === 1 && s[0] === 0x30) return 0n;
  let p = 0;
  let negative = false;
  if (s[0] === 0x2d) {
    negative = true;
    p++;
    if (p === slen) return null;
  }
  if (!(s[p]! >= 0x31 && s[p]! <= 0x39)) return null;
  let v = BigInt(s[p]! - 0x30);
  p++;
  while (p < slen && s[p]! >= 0x30 && s[p]! <= 0x39) {
    v = v * 10n + BigInt(s[p]! - 0x30);
    p++;
  }
  if (p < slen) return null;
  if (negative) {
    if (-v < LLONG_MIN) return null;
    return -v;
  }
  if (v > LLONG_MAX) return null;
  return v;
}

const isspace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isHexDigit = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const hexDigitToInt = (c: number): number => parseInt(String.fromCharCode(c), 16);

/** sds.c sdssplitargs over a C string (reading past the end yields NUL). */
export function sdssplitargs(line: Uint8Array): Uint8Array[] | null {
  const at = (i: number): number => (i < line.length ? line[i]! : 0);
  let p = 0;
  const vector: Uint8Array[] = [];
  for (;;) {
    while (at(p) !== 0 && isspace(at(p))) p++;
    if (at(p) === 0) return vector;
    let inq = false;
    let insq = false;
    let done = false;
    const current: number[] = [];
    while (!done) {
      if (inq) {
        if (at(p) === 0x5c && at(p + 1) === 0x78 && isHexDigit(at(p + 2)) && isHexDigit(at(p + 3))) {
          current.push(hexDigitToInt(at(p + 2)) * 16 + hexDigitToInt(at(p + 3)));
          p += 3;
        } else if (at(p) === 0x5c && at(p + 1) !== 0) {
          p++;
          const e = at(p);
          current.push(e === 0x6e ? 10 : e === 0x72 ? 13 : e === 0x74 ? 9 : e === 0x62 ? 8 : e === 0x61 ? 7 : e);
        } else if (at(p) === 0x22) {
          if (at(p + 1) !== 0 && !isspace(at(p + 1))) return null;
          done = true;
        } else if (at(p) === 0) {
          return null;
        } else {
          current.push(at(p));
        }
      } else if (insq) {
        if (at(p) === 0x5c && at(p + 1) === 0x27) {
          p++;
          current.push(0x27);
        } else if (at(p) === 0x27) {
          if (at(p + 1) !== 0 && !isspace(at(p + 1))) return null;
          done = true;
        } else if (at(p) === 0) {
          return null;
        } else {
          current.push(at(p));
        }
      } else {
        const c = at(p);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0) done = true;
        else if (c === 0x22) inq = true;
        else if (c === 0x27) insq = true;
        else current.push(c);
      }
      if (at(p) !== 0) p++;
    }
    vector.push(Uint8Array.from(current));
  }
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString("latin1");

/** Runs `stream` through Redis's request processing one byte at a time. */
export function referenceParse(stream: Uint8Array, limits: ReferenceLimits): ReferenceResult {
  let querybuf: number[] = [];
  let qbPos = 0;
  let reqtype: "" | "inline" | "multibulk" = "";
  let multibulklen = 0;
  let bulklen = -1;
  let argv: Uint8Array[] = [];
  const commands: string[][] = [];
  // strchr over the sds: stops at NUL (the sds terminator sits at querybuf.length).
  const strchr = (from: number, ch: number): number => {
    for (let i = from; i < querybuf.length; i++) {
      if (querybuf[i] === ch) return i;
      if (querybuf[i] === 0) return -1;
    }
    return -1;
  };
  const slice = (a: number, b: number): Uint8Array => Uint8Array.from(querybuf.slice(a, b));
  const resetClient = (): void => {
    reqtype = "";
    multibulklen = 0;
    bulklen = -1;
    argv = [];
  };

  const processInline = (): "ok" | "wait" | string => {
    let newline = strchr(qbPos, 0x0a);
    let linefeedChars = 1;
    if (newline < 0) {
      if (querybuf.length - qbPos > limits.maxInlineLength) return "too big inline request";
      return "wait";
    }
    if (newline !== qbPos && querybuf[newline - 1] === 0x0d) {
      newline--;
      linefeedChars++;
    }
    const querylen = newline - qbPos;
    const args = sdssplitargs(slice(qbPos, qbPos + querylen));
    if (args === null) return "unbalanced quotes in request";
    qbPos += querylen + linefeedChars;
    argv = args;
    return "ok";
  };

  const processMultibulk = (): "ok" | "wait" | string => {
    if (multibulklen === 0) {
      const newline = strchr(qbPos, 0x0d);
      if (newline < 0) {
        if (querybuf.length - qbPos > limits.maxInlineLength) return "too big mbulk count string";
        return "wait";
      }
      if (newline - qbPos > querybuf.length - qbPos - 2) return "wait";
      const ll = string2ll(slice(qbPos + 1, newline));
      if (ll === null || ll > 2147483647n) return "invalid multibulk length";
      if (ll > 10n && !limits.authenticated) return "unauthenticated multibulk length";
      qbPos = newline + 2;
      if (ll <= 0n) return "ok";
      multibulklen = Number(ll);
    }
    while (multibulklen) {
      if (bulklen === -1) {
        const newline = strchr(qbPos, 0x0d);
        if (newline < 0) {
          if (querybuf.length - qbPos > limits.maxInlineLength) return "too big bulk count string";
          break;
        }
        if (newline - qbPos > querybuf.length - qbPos - 2) break;
        if (querybuf[qbPos] !== 0x24) {
          const shown =
            querybuf[qbPos] === 0x0d || querybuf[qbPos] === 0x0a ? " " : String.fromCharCode(querybuf[qbPos]!);
          return `expected '$', got '${shown}'`;
        }
        const ll = string2ll(slice(qbPos + 1, newline));
        if (ll === null || ll < 0n || ll > BigInt(limits.maxBulkLength)) return "invalid bulk length";
        if (ll > 16384n && !limits.authenticated) return "unauthenticated bulk length";
        qbPos = newline + 2;
        bulklen = Number(ll);
      }
      if (querybuf.length - qbPos < bulklen + 2) break;
      argv.push(slice(qbPos, qbPos + bulklen));
      qbPos += bulklen + 2;
      bulklen = -1;
      multibulklen--;
    }
    return multibulklen === 0 ? "ok" : "wait";
  };

  for (const byte of stream) {
    querybuf.push(byte);
    while (qbPos < querybuf.length) {
      if (!reqtype) reqtype = querybuf[qbPos] === 0x2a ? "multibulk" : "inline";
      const r = reqtype === "inline" ? processInline() : processMultibulk();
      if (r === "wait") break;
      if (r !== "ok") return { commands, error: r };
      if (argv.length > 0) commands.push(argv.map(latin1));
      resetClient();
    }
    // Redis trims the processed part of the query buffer.
    querybuf = querybuf.slice(qbPos);
    qbPos = 0;
  }
  return { commands, error: null };
}
