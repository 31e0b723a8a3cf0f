// What the benchmark measures. Each candidate's `setup()` returns the function timed: one call
// processes `work.units` units (commands, replies). Every candidate runs in its own process (see
// run.mjs), so one implementation's JIT state never slows another.
import { ReplyWriter, RequestParser, RespDecoder, writeCommand, writeValue } from "../dist/index.js";
import { baseline } from "./baseline.mjs";
import { hasNodeRedis, loadNodeRedisDecoder, loadNodeRedisEncodeCommand, loadRedisParser } from "./competitors.mjs";
import { bulkReplyWorkload, requestWorkload } from "./workloads.mjs";

export let sink = 0;
const old = await baseline();

function redisParserRun(chunks, returnBuffers) {
  const RedisParser = loadRedisParser();
  const p = new RedisParser({
    returnReply: (r) => {
      sink += r.length;
    },
    returnError: () => {},
    returnFatalError: (e) => {
      throw e;
    },
    returnBuffers,
  });
  return () => {
    for (let i = 0; i < chunks.length; i++) p.execute(chunks[i]);
  };
}

function nodeRedisRun(chunks) {
  const NodeRedisDecoder = loadNodeRedisDecoder();
  const d = new NodeRedisDecoder({
    onReply: (r) => {
      sink += r.length;
    },
    onErrorReply: () => {},
    onPush: () => {},
    getTypeMapping: () => ({}),
  });
  return () => {
    for (let i = 0; i < chunks.length; i++) d.write(chunks[i]);
  };
}

function respDecoderRun(chunks, options) {
  const d = new RespDecoder(options);
  return () => {
    for (let i = 0; i < chunks.length; i++) {
      d.feed(chunks[i]);
      for (let v = d.next(); v !== undefined; v = d.next()) sink += v.length;
    }
  };
}

function requestParserRun(chunks, Parser) {
  const p = new Parser();
  return () => {
    for (let i = 0; i < chunks.length; i++) {
      p.feed(chunks[i]);
      // What dispatch looks at: the command name and the key's length.
      while (p.next()) sink += p.argc + (p.argEquals(0, "set") ? 1 : 0) + p.lengths[1];
    }
  };
}

function requestSuite(perBatch) {
  const w = requestWorkload(perBatch, 20_000);
  const reads = perBatch === 1000 ? "16–64 KB reads" : `one ${Math.round(w.bytes / w.chunks.length)} B read per batch`;
  return {
    title: `Requests: pipelined batches of ${perBatch} SET/GET (${reads})`,
    work: { units: w.commands, unitName: "commands", bytes: w.bytes },
    candidates: {
      ours: { name: "nedis RequestParser", setup: () => requestParserRun(w.chunks, RequestParser) },
      ...(old && {
        firstCut: { name: "first-cut RequestParser", setup: () => requestParserRun(w.chunks, old.RequestParser) },
      }),
      redisParserBuffers: { name: "redis-parser (buffers)", setup: () => redisParserRun(w.chunks, true) },
      redisParserStrings: { name: "redis-parser (strings)", setup: () => redisParserRun(w.chunks, false) },
      ...(hasNodeRedis && { nodeRedis: { name: "node-redis 5 decoder", setup: () => nodeRedisRun(w.chunks) } }),
      decoder: { name: "nedis RespDecoder (strings)", setup: () => respDecoderRun(w.chunks, {}) },
    },
  };
}

function replySuite() {
  const w = bulkReplyWorkload(200);
  return {
    title: "Replies: *100 of 16-byte bulk strings (16–64 KB reads)",
    work: { units: w.replies, unitName: "replies", bytes: w.bytes },
    candidates: {
      ours: { name: "nedis RespDecoder (strings)", setup: () => respDecoderRun(w.chunks, {}) },
      redisParserStrings: { name: "redis-parser (strings)", setup: () => redisParserRun(w.chunks, false) },
      ...(hasNodeRedis && { nodeRedis: { name: "node-redis 5 decoder", setup: () => nodeRedisRun(w.chunks) } }),
      oursBuffers: {
        name: "nedis RespDecoder (buffers, copies)",
        setup: () => respDecoderRun(w.chunks, { strings: "buffer" }),
      },
      redisParserBuffers: { name: "redis-parser (buffers, views)", setup: () => redisParserRun(w.chunks, true) },
    },
  };
}

const REPLIES = 200;
const members = Array.from({ length: 100 }, (_, i) =>
  Buffer.from(`member-${String(i).padStart(6, "0")}xxx`).toString("latin1"),
);
// Values as a server holds them: bytes in a page (kv-pool), addressed by offset.
const page = Buffer.from(members.join(""), "latin1");
const replyBytes = 6 + members.reduce((n, m) => n + 5 + m.length + 2, 0);

function encodeSuite() {
  return {
    title: `Encoding replies: *100 of 16-byte bulk strings, ${REPLIES} per flush`,
    work: { units: REPLIES, unitName: "replies", bytes: REPLIES * replyBytes },
    candidates: {
      ours: {
        name: "nedis ReplyWriter.bulk (bytes)",
        setup: () => {
          const w = new ReplyWriter();
          return () => {
            for (let r = 0; r < REPLIES; r++) {
              w.arrayHeader(100);
              for (let i = 0; i < 100; i++) w.bulk(page, i * 16, i * 16 + 16);
            }
            sink += w.take().length;
          };
        },
      },
      ...(old && {
        firstCut: {
          name: "first-cut ReplyWriter.bulk (bytes)",
          setup: () => {
            const w = new old.ReplyWriter();
            return () => {
              for (let r = 0; r < REPLIES; r++) {
                w.arrayHeader(100);
                for (let i = 0; i < 100; i++) w.bulk(page, i * 16, i * 16 + 16);
              }
              sink += w.take().length;
            };
          },
        },
      }),
      strings: {
        name: "nedis ReplyWriter.bulkString (JS strings)",
        setup: () => {
          const w = new ReplyWriter();
          return () => {
            for (let r = 0; r < REPLIES; r++) {
              w.arrayHeader(100);
              for (let i = 0; i < 100; i++) w.bulkString(members[i]);
            }
            sink += w.take().length;
          };
        },
      },
      values: {
        name: "nedis writeValue (array of JS strings)",
        setup: () => {
          const w = new ReplyWriter();
          return () => {
            for (let r = 0; r < REPLIES; r++) writeValue(w, members);
            sink += w.take().length;
          };
        },
      },
      naive: {
        name: "string concatenation + Buffer.from",
        setup: () => () => {
          let s = "";
          for (let r = 0; r < REPLIES; r++) {
            s += `*${members.length}\r\n`;
            for (const m of members) s += `$${m.length}\r\n${m}\r\n`;
          }
          sink += Buffer.from(s, "latin1").length;
        },
      },
    },
  };
}

const commands = Array.from({ length: 1000 }, (_, i) => {
  const key = `key:${String(i).padStart(6, "0")}`;
  return i % 2 === 0 ? ["SET", key, `value-${String(i).padStart(6, "0")}----`] : ["GET", key];
});
const commandBytes = commands.reduce((n, c) => n + 4 + c.reduce((m, a) => m + 5 + a.length + 2, 0), 0);

function commandSuite() {
  return {
    title: "Encoding commands: 1000 SET/GET into one buffer",
    work: { units: commands.length, unitName: "commands", bytes: commandBytes },
    candidates: {
      ours: {
        name: "nedis writeCommand",
        setup: () => {
          const w = new ReplyWriter();
          return () => {
            for (const c of commands) writeCommand(w, c);
            sink += w.take().length;
          };
        },
      },
      ...(hasNodeRedis && {
        nodeRedis: {
          name: "node-redis 5 encodeCommand + Buffer.concat",
          setup: () => {
            const nodeRedisEncodeCommand = loadNodeRedisEncodeCommand();
            return () => {
              const parts = [];
              for (const c of commands)
                for (const p of nodeRedisEncodeCommand(c)) parts.push(typeof p === "string" ? Buffer.from(p) : p);
              sink += Buffer.concat(parts).length;
            };
          },
        },
      }),
    },
  };
}

// Integers of 1 to 13 digits, both signs: the `:n` and `*n` header paths (INCR, counts, ZRANK).
const integers = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? -1 : 1) * Math.floor(7 ** (i % 16)));
const integerBytes = 6 + integers.reduce((n, v) => n + 3 + String(v).length, 0);

function integerSuite() {
  return {
    title: `Encoding replies: *100 of integers (1–14 digits), ${REPLIES} per flush`,
    work: { units: REPLIES, unitName: "replies", bytes: REPLIES * integerBytes },
    candidates: {
      ours: {
        name: "nedis ReplyWriter.integer",
        setup: () => {
          const w = new ReplyWriter();
          return () => {
            for (let r = 0; r < REPLIES; r++) {
              w.arrayHeader(100);
              for (let i = 0; i < 100; i++) w.integer(integers[i]);
            }
            sink += w.take().length;
          };
        },
      },
      ...(old && {
        firstCut: {
          name: "first-cut ReplyWriter.integer",
          setup: () => {
            const w = new old.ReplyWriter();
            return () => {
              for (let r = 0; r < REPLIES; r++) {
                w.arrayHeader(100);
                for (let i = 0; i < 100; i++) w.integer(integers[i]);
              }
              sink += w.take().length;
            };
          },
        },
      }),
      ...(ReplyWriter.prototype.deferLength && {
        deferred: {
          name: "nedis deferLength + setDeferredArrayLength (moves 3-digit headers' tails)",
          setup: () => {
            const w = new ReplyWriter();
            return () => {
              for (let r = 0; r < REPLIES; r++) {
                const token = w.deferLength();
                for (let i = 0; i < 100; i++) w.integer(integers[i]);
                w.setDeferredArrayLength(token, 100);
              }
              sink += w.take().length;
            };
          },
        },
      }),
    },
  };
}

export const suites = {
  "requests-1": () => requestSuite(1),
  "requests-16": () => requestSuite(16),
  "requests-1000": () => requestSuite(1000),
  replies: replySuite,
  "encode-replies": encodeSuite,
  "encode-commands": commandSuite,
  "encode-integers": integerSuite,
};
