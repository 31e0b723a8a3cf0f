// Parse throughput: pipelined SET/GET requests (server side) and 100-bulk replies (client side).
import { RequestParser, RespDecoder } from "../dist/index.js";
import { compare } from "./compare.mjs";
import { NodeRedisDecoder, RedisParser } from "./competitors.mjs";
import { bulkReplyWorkload, requestWorkload } from "./workloads.mjs";

let sink = 0;
const feedAll = (chunks, parse) => () => {
  for (let i = 0; i < chunks.length; i++) parse(chunks[i]);
};

function redisParser(returnBuffers) {
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
  return (chunk) => p.execute(chunk);
}

function nodeRedis() {
  const d = new NodeRedisDecoder({
    onReply: (r) => {
      sink += r.length;
    },
    onErrorReply: () => {},
    onPush: () => {},
    getTypeMapping: () => ({}),
  });
  return (chunk) => d.write(chunk);
}

function ourDecoder(options) {
  const d = new RespDecoder(options);
  return (chunk) => {
    d.feed(chunk);
    for (let v = d.next(); v !== undefined; v = d.next()) sink += v.length;
  };
}

function ourRequestParser() {
  const p = new RequestParser();
  return (chunk) => {
    p.feed(chunk);
    // A server's dispatch looks at the name and the key of every command.
    while (p.next()) sink += p.argc + (p.argEquals(0, "set") ? 1 : 0) + p.lengths[1];
  };
}

const only = process.argv[2];
for (const perBatch of [1, 16, 1000]) {
  if (only !== undefined && only !== "requests") break;
  const w = requestWorkload(perBatch, 20_000);
  const candidates = [
    { name: "nedis RequestParser", run: feedAll(w.chunks, ourRequestParser()) },
    { name: "redis-parser (buffers)", run: feedAll(w.chunks, redisParser(true)) },
    { name: "redis-parser (strings)", run: feedAll(w.chunks, redisParser(false)) },
    ...(NodeRedisDecoder ? [{ name: "node-redis 5 Decoder", run: feedAll(w.chunks, nodeRedis()) }] : []),
    { name: "nedis RespDecoder (strings)", run: feedAll(w.chunks, ourDecoder({})) },
  ];
  await compare(
    `Requests: pipelined batches of ${perBatch} SET/GET (${w.chunks.length} reads of ${perBatch === 1000 ? "16–64 KB" : `${Math.round(w.bytes / w.chunks.length)} B`})`,
    { units: w.commands, unitName: "commands", bytes: w.bytes },
    candidates,
  );
}

if (only === undefined || only === "replies") {
  const w = bulkReplyWorkload(200);
  await compare(
    "Replies: *100 of 16-byte bulk strings, in 16–64 KB chunks",
    { units: w.replies, unitName: "replies", bytes: w.bytes },
    [
      { name: "nedis RespDecoder (strings)", run: feedAll(w.chunks, ourDecoder({})) },
      { name: "redis-parser (strings)", run: feedAll(w.chunks, redisParser(false)) },
      ...(NodeRedisDecoder ? [{ name: "node-redis 5 Decoder", run: feedAll(w.chunks, nodeRedis()) }] : []),
      { name: "nedis RespDecoder (buffers)", run: feedAll(w.chunks, ourDecoder({ strings: "buffer" })) },
      { name: "redis-parser (buffers)", run: feedAll(w.chunks, redisParser(true)) },
    ],
  );
}
if (sink === 42) console.log(""); // keeps results observable
