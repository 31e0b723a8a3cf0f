// A tiny RESP server: PING, ECHO, SET, GET. Try it with `redis-cli -p 6380` or redis-benchmark.
import net from "node:net";
import { ProtocolError, ReplyWriter, RequestParser, SharedReplies } from "@nedis/resp-codec";

const store = new Map(); // key (latin1 string) → value bytes
function execute(cmd, out) {
  if (cmd.argEquals(0, "ping")) out.raw(SharedReplies.pong);
  else if (cmd.argEquals(0, "echo") && cmd.argc === 2) out.bulk(cmd.argView(1));
  else if (cmd.argEquals(0, "set") && cmd.argc === 3)
    store.set(cmd.argString(1), cmd.argCopy(2)), out.raw(SharedReplies.ok);
  else if (cmd.argEquals(0, "get") && cmd.argc === 2)
    store.has(cmd.argString(1)) ? out.bulk(store.get(cmd.argString(1))) : out.nullBulk();
  else out.error(`ERR unknown command '${cmd.argString(0)}'`);
}

net
  .createServer((socket) => {
    const parser = new RequestParser();
    const out = new ReplyWriter();
    socket.on("data", (chunk) => {
      parser.feed(chunk);
      try {
        while (parser.next()) execute(parser, out); // arguments are views into `chunk`
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        out.error(err.message); // "ERR Protocol error: …", then close, as Redis does
        return socket.end(out.take());
      }
      if (out.length > 0) socket.write(out.take()); // one write per read, however many commands
    });
  })
  .listen(Number(process.env.PORT ?? 6380));
