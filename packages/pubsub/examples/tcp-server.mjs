// A pub/sub-only RESP server in ~60 lines: try it with redis-cli.
//
//   pnpm --filter @nedis/pubsub build && node packages/pubsub/examples/tcp-server.mjs 6390
//   redis-cli -p 6390 subscribe news          # in one terminal
//   redis-cli -p 6390 publish news hello      # in another: (integer) 1
import { createServer } from "node:net";
import { PubSubHub } from "../dist/index.js";

const hub = new PubSubHub();

/** The transport's client is the subscriber: a protocol and a sink into its socket. */
class Connection {
  protocol = 2;
  constructor(socket) {
    this.socket = socket;
  }
  deliver(frame) {
    this.socket.write(frame);
  }
}

/** Parses complete RESP arrays of bulk strings from `buffer`; returns [commands, rest]. */
function parseCommands(buffer) {
  const commands = [];
  let at = 0;
  outer: while (at < buffer.length) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0 || buffer[at] !== 0x2a) break;
    const count = Number(buffer.toString("latin1", at + 1, lineEnd));
    let next = lineEnd + 2;
    const args = [];
    for (let i = 0; i < count; i++) {
      const end = buffer.indexOf("\r\n", next);
      if (end < 0) break outer;
      const length = Number(buffer.toString("latin1", next + 1, end));
      if (end + 2 + length + 2 > buffer.length) break outer;
      args.push(buffer.subarray(end + 2, end + 2 + length)); // a view: the hub copies what it keeps
      next = end + 2 + length + 2;
    }
    commands.push(args);
    at = next;
  }
  return [commands, buffer.subarray(at)];
}

function execute(connection, [name, ...args]) {
  switch (name.toString("latin1").toLowerCase()) {
    case "subscribe":
      return hub.subscribe(connection, args);
    case "unsubscribe":
      return hub.unsubscribe(connection, args);
    case "psubscribe":
      return hub.psubscribe(connection, args);
    case "punsubscribe":
      return hub.punsubscribe(connection, args);
    case "publish":
      return connection.deliver(Buffer.from(`:${hub.publish(args[0], args[1])}\r\n`));
    case "ping":
      return connection.deliver(Buffer.from("+PONG\r\n"));
    default:
      return connection.deliver(Buffer.from("-ERR unknown command\r\n"));
  }
}

const server = createServer((socket) => {
  const connection = new Connection(socket);
  let pending = Buffer.alloc(0);
  socket.on("data", (chunk) => {
    const [commands, rest] = parseCommands(Buffer.concat([pending, chunk]));
    for (const command of commands) execute(connection, command);
    pending = Buffer.from(rest);
  });
  socket.on("close", () => hub.unsubscribeAll(connection)); // O(its own subscriptions)
  socket.on("error", () => socket.destroy());
});
server.listen(Number(process.argv[2] ?? 6390), "127.0.0.1", () => {
  console.log(`pub/sub server on 127.0.0.1:${server.address().port}`);
});
