// Writing replies once, for RESP2 and RESP3 clients.
import { formatDouble, incrByFloat, ReplyWriter } from "@nedis/resp-codec";

for (const protocol of [2, 3]) {
  const out = new ReplyWriter();
  out.protocol = protocol;
  out.mapHeader(2); // HGETALL-like: a map in RESP3, a flat array in RESP2
  out.bulkString("field");
  out.bulk(Buffer.from("value"));
  out.bulkString("score");
  out.double(1.1); // ,1.1000000000000001 or $18 bulk, exactly as Redis prints it
  out.boolean(true); // #t or :1
  out.nullBulk(); // _ or $-1
  console.log(`RESP${protocol}:`, JSON.stringify(out.take().toString()));
}
console.log(formatDouble(2.5e-7), incrByFloat("10.5", "0.1")); // 2.4999999999999999e-07 { ok: true, text: '10.6' }
