// Decoding a RESP3 stream that arrives in arbitrary pieces.
import { RespDecoder, RespError, RespPush } from "@nedis/resp-codec";

const decoder = new RespDecoder({ maps: "object" });
const stream = Buffer.from(
  "%2\r\n+server\r\n+redis\r\n+proto\r\n:3\r\n" + // HELLO 3 (shortened)
    ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n" + // a pub/sub push
    ",1.1000000000000001\r\n" + // ZSCORE
    "(12345678901234567890\r\n" + // a big number
    "-ERR unknown command 'FOO'\r\n",
);
for (let at = 0; at < stream.length; at += 7) {
  decoder.feed(stream.subarray(at, at + 7)); // 7-byte chunks: frames are split anywhere
  for (let value = decoder.next(); value !== undefined; value = decoder.next()) {
    if (value instanceof RespPush) console.log("push:", value.data);
    else if (value instanceof RespError) console.log("error reply:", value.message);
    else console.log(value);
  }
}
