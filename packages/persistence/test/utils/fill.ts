import type { RedisConnection } from "../../../../test-support/redisServer.js";

/** Fills a server with every type and encoding Redis 7.0 has for them, TTLs and several databases. */
export async function fillEveryType(redis: RedisConnection): Promise<void> {
  const calls: Promise<unknown>[] = [];
  const c = (...args: string[]) => calls.push(redis.call(...args));
  for (const db of ["0", "3"]) {
    c("SELECT", db);
    c("SET", "int", "12345");
    c("SET", "negative", "-9223372036854775808");
    c("SET", "embstr", "hello world");
    c("SET", "raw", "x".repeat(100));
    c("SET", "random-raw", Array.from({ length: 300 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join(""));
    c("SET", "empty", "");
    c("SET", "volatile", "v", "PX", "3600000");
    c("RPUSH", "list-small", "a", "1", "bb", "-7", "x".repeat(70));
    for (let i = 0; i < 600; i += 100)
      c("RPUSH", "list-big", ...Array.from({ length: 100 }, (_, j) => (j % 3 === 0 ? String(i + j) : `item-${i + j}`)));
    c("HSET", "hash-small", "f1", "v1", "f2", "2", "f3", "z".repeat(30));
    for (let i = 0; i < 300; i += 100)
      c("HSET", "hash-big", ...Array.from({ length: 100 }, (_, j) => [`field-${i + j}`, `value-${i + j}`]).flat());
    c("SADD", "set-int", "1", "2", "3", "-100000", "4294967296");
    c("SADD", "set-table", "a", "b", "c", "1");
    c("SADD", "set-big-int", ...Array.from({ length: 600 }, (_, i) => String(i * 3)));
    c("ZADD", "zset-small", "1", "a", "2.5", "b", "-3", "c", "inf", "d");
    for (let i = 0; i < 300; i += 100)
      c("ZADD", "zset-big", ...Array.from({ length: 100 }, (_, j) => [String((i + j) / 7), `m-${i + j}`]).flat());
    c("HSET", "hash-volatile", "a", "b");
    c("PEXPIRE", "hash-volatile", "7200000");
    c("RPUSH", "list-volatile", "a");
    c("EXPIREAT", "list-volatile", "4102444800");
  }
  c("SELECT", "0");
  await Promise.all(calls);
}
