// Byte streams the benchmarks parse: pipelined SET/GET requests cut into socket-sized chunks,
// and replies of 100 bulk strings.

/** Deterministic pseudo-random numbers (so every run measures the same bytes). */
export function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pad = (n) => String(n).padStart(6, "0");

/** `SET key:NNNNNN <16 B>` and `GET key:NNNNNN`, alternating, as RESP arrays. */
export function requestBatch(count, first = 0) {
  const parts = [];
  for (let i = 0; i < count; i++) {
    const key = `key:${pad(first + i)}`;
    if (i % 2 === 0) parts.push(`*3\r\n$3\r\nSET\r\n$10\r\n${key}\r\n$16\r\nvalue-${pad(first + i)}----\r\n`);
    else parts.push(`*2\r\n$3\r\nGET\r\n$10\r\n${key}\r\n`);
  }
  return Buffer.from(parts.join(""), "latin1");
}

/** Cuts `bytes` into chunks of 16–64 KB, as a busy socket delivers them. */
export function chunk(bytes, rnd = random(1)) {
  const out = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 16384 + Math.floor(rnd() * 49152);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/**
 * A stream of `batches` pipelined batches of `perBatch` commands, as the chunks a server reads:
 * a batch of 1 or 16 arrives alone in its own read; a batch of 1000 (~55 KB) is cut into
 * 16–64 KB chunks.
 */
export function requestWorkload(perBatch, totalCommands) {
  const chunks = [];
  const rnd = random(perBatch);
  let bytes = 0;
  for (let first = 0; first < totalCommands; first += perBatch) {
    const batch = requestBatch(perBatch, first);
    bytes += batch.length;
    for (const c of chunk(batch, rnd)) chunks.push(c);
  }
  return { chunks, bytes, commands: totalCommands };
}

/** `*100` of 16-byte bulk strings, e.g. an MGET/LRANGE reply, `count` times, as 16–64 KB chunks. */
export function bulkReplyWorkload(count, width = 16) {
  const one = ["*100\r\n"];
  for (let i = 0; i < 100; i++) one.push(`$${width}\r\n${`member-${pad(i)}`.padEnd(width, "x")}\r\n`);
  const reply = one.join("");
  const bytes = Buffer.from(reply.repeat(count), "latin1");
  return { chunks: chunk(bytes, random(7)), bytes: bytes.length, replies: count };
}
