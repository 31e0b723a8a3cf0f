// The parsers we measure against: redis-parser (ioredis, node-redis ≤3) and the RESP3 decoder
// node-redis 5 ships (internal to @redis/client, so found in pnpm's store). Loaded only by the
// process measuring them: node-redis declares `class VerbatimString extends String`, which
// invalidates a V8 fast path and makes string access in the whole process ~4× slower.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

export const loadRedisParser = () => require("redis-parser");

function nodeRedisDir() {
  const store = new URL("../../../node_modules/.pnpm/", import.meta.url).pathname;
  const entry = readdirSync(store).find((d) => d.startsWith("@redis+client@"));
  return entry === undefined ? null : join(store, entry, "node_modules/@redis/client/dist/lib/RESP");
}
export const hasNodeRedis = nodeRedisDir() !== null;
export const loadNodeRedisDecoder = () => require(join(nodeRedisDir(), "decoder.js")).Decoder;
export const loadNodeRedisEncodeCommand = () => require(join(nodeRedisDir(), "encoder.js")).default;
