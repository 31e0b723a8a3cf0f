// The parsers we measure against: redis-parser (ioredis, node-redis ≤3) and the RESP3 decoder
// node-redis 5 ships. Both are root devDependencies; node-redis's decoder is internal to
// @redis/client, so it is found in pnpm's store.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
export const RedisParser = require("redis-parser");

function findNodeRedisDecoder() {
  let dir = new URL("../../../node_modules/.pnpm/", import.meta.url).pathname;
  const entry = readdirSync(dir).find((d) => d.startsWith("@redis+client@"));
  if (entry === undefined) return null;
  dir = join(dir, entry, "node_modules/@redis/client/dist/lib/RESP");
  return { Decoder: require(join(dir, "decoder.js")).Decoder, encodeCommand: require(join(dir, "encoder.js")).default };
}
const nodeRedis = findNodeRedisDecoder();
export const NodeRedisDecoder = nodeRedis?.Decoder ?? null;
export const nodeRedisEncodeCommand = nodeRedis?.encodeCommand ?? null;
