import { SharedReplies } from "@nedis/resp-codec";
import { type Client, ReplyMode } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { REDIS_VERSION } from "../version.js";
import { defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";
import { getIntFromObjectOrReply, getLongLongFromObjectOrReply } from "./support/numbers.js";
import { discardTransaction } from "./transaction.js";

/** Connection commands (Redis's `connection` group). */
export const connectionCommands = [
  /** PING [message] */
  defineCommand({
    name: "ping",
    handler(_server, client, args) {
      if (args.argc > 2) {
        client.writer.error("ERR wrong number of arguments for 'ping' command");
      } else if (client.resp === 2 && client.subscriptionCount() > 0) {
        // In RESP2 pub/sub mode a reply must look like a message: ["pong", message].
        client.writer.arrayHeader(2);
        client.writer.bulkString("pong");
        if (args.argc === 1) client.writer.bulkString("");
        else client.writer.bulk(args.buffer, args.offsets[1]!, args.offsets[1]! + args.lengths[1]!);
      } else if (args.argc === 1) {
        client.writer.raw(SharedReplies.pong);
      } else {
        client.writer.bulk(args.buffer, args.offsets[1]!, args.offsets[1]! + args.lengths[1]!);
      }
    },
  }),
  /** ECHO message */
  defineCommand({
    name: "echo",
    handler(_server, client, args) {
      client.writer.bulk(args.buffer, args.offsets[1]!, args.offsets[1]! + args.lengths[1]!);
    },
  }),
  /** QUIT: replies OK, then the connection is closed once the reply is written. */
  defineCommand({
    name: "quit",
    handler(_server, client) {
      client.writer.raw(SharedReplies.ok);
      client.closeAfterReply = true;
    },
  }),
  /** SELECT index */
  defineCommand({
    name: "select",
    handler(server, client, args) {
      const id = getIntFromObjectOrReply(client, args, 1);
      if (id === null) return;
      if (id < 0 || id >= server.keyspace.databases.length) {
        client.writer.error(Errors.dbIndexOutOfRange);
        return;
      }
      client.db = id;
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** AUTH [username] password */
  defineCommand({
    name: "auth",
    handler(server, client, args) {
      if (args.argc > 3) {
        client.writer.error(Errors.syntax);
        return;
      }
      if (args.argc === 2 && server.auth.defaultUserNoPass) {
        client.writer.error(
          "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
        );
        return;
      }
      const user = args.argc === 2 ? "default" : args.argString(1);
      if (authenticate(server, client, user, args.argString(args.argc - 1))) client.writer.raw(SharedReplies.ok);
    },
  }),
  /** HELLO [protover [AUTH username password] [SETNAME clientname]] */
  defineCommand({
    name: "hello",
    handler(server, client, args) {
      let version = 0;
      let next = 1;
      if (args.argc >= 2) {
        const v = getLongLongFromObjectOrReply(
          client,
          args,
          next++,
          "ERR Protocol version is not an integer or out of range",
        );
        if (v === null) return;
        if (v < 2 || v > 3) {
          client.writer.error("NOPROTO unsupported protocol version");
          return;
        }
        version = Number(v);
      }
      let user: string | null = null;
      let password = "";
      let name: string | null = null;
      for (let j = next; j < args.argc; j++) {
        const more = args.argc - 1 - j;
        if (args.argEquals(j, "auth") && more >= 2) {
          user = args.argString(j + 1);
          password = args.argString(j + 2);
          j += 2;
        } else if (args.argEquals(j, "setname") && more >= 1) {
          name = args.argString(j + 1);
          j++;
        } else {
          client.writer.error(`ERR Syntax error in HELLO option '${args.argString(j)}'`);
          return;
        }
      }
      if (user !== null && !authenticate(server, client, user, password)) return;
      if (!client.authenticated && !server.auth.defaultUserNoPass) {
        client.writer.error(
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
        );
        return;
      }
      if (name !== null && !setClientName(client, name)) return;
      if (version !== 0) client.writer.protocol = version as 2 | 3;
      const w = client.writer;
      w.mapHeader(7);
      w.bulkString("server");
      w.bulkString("redis");
      w.bulkString("version");
      w.bulkString(REDIS_VERSION);
      w.bulkString("proto");
      w.integer(client.resp);
      w.bulkString("id");
      w.integer(client.id);
      w.bulkString("mode");
      w.bulkString("standalone");
      w.bulkString("role");
      w.bulkString("master");
      w.bulkString("modules");
      w.arrayHeader(0);
    },
  }),
  /** RESET: back to a fresh connection's state. */
  defineCommand({
    name: "reset",
    handler(server, client) {
      resetClientState(server, client);
      client.writer.simple("RESET");
    },
  }),
];

/** Authenticates the client or replies Redis's WRONGPASS error. */
function authenticate(server: ServerContext, client: Client, user: string, password: string): boolean {
  if (!server.auth.authenticate(user, password)) {
    server.auth.logDeniedAuth(client, user);
    client.writer.error("WRONGPASS invalid username-password pair or user is disabled.");
    return false;
  }
  client.authenticated = true;
  client.user = user;
  return true;
}

/** Redis's `clientSetName`: printable ASCII without spaces; empty clears the name. */
export function setClientName(client: Client, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      client.writer.error("ERR Client names cannot contain spaces, newlines or special characters.");
      return false;
    }
  }
  client.name = name;
  return true;
}

/** Redis's `clearClientConnectionState` (RESET). */
function resetClientState(server: ServerContext, client: Client): void {
  discardTransaction(server, client);
  server.pubsub.unsubscribeAll(client);
  server.tracking.disable(client);
  client.db = 0;
  client.writer.protocol = 2;
  client.user = "default";
  client.authenticated = server.auth.defaultUserNoPass;
  client.name = "";
  client.replyMode = ReplyMode.On;
}
