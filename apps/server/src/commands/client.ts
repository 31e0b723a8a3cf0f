import { SharedReplies } from "@nedis/resp-codec";
import { type Client, ReplyMode } from "../net/Client.js";
import { PauseMode } from "../net/ClientPause.js";
import {
  type ClientType,
  clientInfoLine,
  clientType,
  clientTypeByName,
  type RunningRequest,
} from "../net/clientInfo.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { clientCaching, clientTracking, clientTrackingInfo } from "./clientTracking.js";
import { setClientName } from "./connection.js";
import { replyHelp, replySubcommandSyntaxError } from "./help.js";
import { Errors } from "./support/errors.js";
import { getLongLongFromObjectOrReply, getRangeLongFromObjectOrReply, LONG_MAX } from "./support/numbers.js";

const CLIENT_HELP = [
  "CACHING (YES|NO)",
  "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
  "         [OPTIN] [OPTOUT] [NOLOOP]",
  "    Control server assisted client side caching.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
];

/**
 * The caller's own request as Redis 7.0 still holds it while the command runs: its bytes in the
 * query buffer (CLIENT LIST `qbuf`, sized as RESP encodes it) and its argument bytes (`argv-mem`).
 */
function runningRequest(client: Client): RunningRequest {
  const p = client.parser;
  let argvBytes = 0;
  let queryBytes = p.inline ? 2 + Math.max(0, p.argc - 1) : 3 + String(p.argc).length;
  for (let i = 0; i < p.argc; i++) {
    const len = p.lengths[i]!;
    argvBytes += len;
    queryBytes += p.inline ? len : 5 + String(len).length + len;
  }
  return { queryBytes, argvBytes };
}

function replyText(client: Client, text: string): void {
  client.writer.verbatim(text);
}

/** CLIENT LIST [TYPE type] [ID id ...] */
function clientList(server: ServerContext, client: Client, args: CommandArgs): void {
  let type: ClientType | null = null;
  let ids: Set<number> | null = null;
  if (args.argc === 4 && args.argEquals(2, "type")) {
    type = clientTypeByName(args.argString(3));
    if (type === null) return client.writer.error(`ERR Unknown client type '${args.argString(3)}'`);
  } else if (args.argc > 3 && args.argEquals(2, "id")) {
    ids = new Set();
    for (let j = 3; j < args.argc; j++) {
      const id = getLongLongFromObjectOrReply(client, args, j, "ERR Invalid client ID");
      if (id === null) return;
      ids.add(Number(id)); // client ids are far below 2^53: a larger one matches none
    }
  } else if (args.argc !== 2) {
    return client.writer.error(Errors.syntax);
  }
  const now = Date.now();
  let text = "";
  for (const c of server.clients.values()) {
    if (type !== null && clientType(c) !== type) continue;
    if (ids !== null && !ids.has(c.id)) continue;
    text += `${clientInfoLine(c, now, c === client ? runningRequest(c) : null)}\n`;
  }
  replyText(client, text);
}

/** CLIENT KILL addr | CLIENT KILL <filter> <value> ... */
function clientKill(server: ServerContext, client: Client, args: CommandArgs): void {
  let id = 0;
  let type: ClientType | null = null;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let skipMe = true;
  if (args.argc === 3) {
    addr = args.argString(2);
    skipMe = false;
  } else if (args.argc > 3) {
    for (let i = 2; i < args.argc; i += 2) {
      const more = args.argc > i + 1;
      if (more && args.argEquals(i, "id")) {
        const n = getRangeLongFromObjectOrReply(
          client,
          args,
          i + 1,
          1,
          LONG_MAX,
          "ERR client-id should be greater than 0",
        );
        if (n === null) return;
        id = n;
      } else if (more && args.argEquals(i, "type")) {
        type = clientTypeByName(args.argString(i + 1));
        if (type === null) return client.writer.error(`ERR Unknown client type '${args.argString(i + 1)}'`);
      } else if (more && args.argEquals(i, "addr")) {
        addr = args.argString(i + 1);
      } else if (more && args.argEquals(i, "laddr")) {
        laddr = args.argString(i + 1);
      } else if (more && args.argEquals(i, "user")) {
        user = args.argString(i + 1);
        if (server.auth.getUser(user) === undefined) return client.writer.error(`ERR No such user '${user}'`);
      } else if (more && args.argEquals(i, "skipme")) {
        if (args.argEquals(i + 1, "yes")) skipMe = true;
        else if (args.argEquals(i + 1, "no")) skipMe = false;
        else return client.writer.error(Errors.syntax);
      } else {
        return client.writer.error(Errors.syntax);
      }
    }
  }
  let killed = 0;
  for (const c of [...server.clients.values()]) {
    if (addr !== null && c.addr !== addr) continue;
    if (laddr !== null && c.laddr !== laddr) continue;
    if (type !== null && clientType(c) !== type) continue;
    if (id !== 0 && c.id !== id) continue;
    if (user !== null && c.user !== user) continue;
    if (c === client && skipMe) continue;
    killed++;
    if (c === client) client.closeAfterReply = true;
    else c.socket.destroy();
  }
  if (args.argc === 3) {
    if (killed === 0) client.writer.error("ERR No such client");
    else client.writer.raw(SharedReplies.ok);
  } else {
    client.writer.integer(killed);
  }
}

/** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; clients such as node-redis send it on connect). */
function clientSetInfo(_server: ServerContext, client: Client, args: CommandArgs): void {
  const value = args.argString(3);
  const isName = args.argEquals(2, "lib-name");
  if (!isName && !args.argEquals(2, "lib-ver")) {
    return client.writer.error(`ERR Unrecognized option '${args.argString(2)}'`);
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      return client.writer.error(
        `ERR ${isName ? "lib-name" : "lib-ver"} cannot contain spaces, newlines or special characters.`,
      );
    }
  }
  if (isName) client.libName = value;
  else client.libVersion = value;
  client.writer.raw(SharedReplies.ok);
}

/** CLIENT PAUSE timeout [WRITE|ALL] */
function clientPauseCommand(server: ServerContext, client: Client, args: CommandArgs): void {
  if (args.argc > 4) return replySubcommandSyntaxError(client, "CLIENT", args.argString(1));
  let mode: PauseMode = PauseMode.All;
  if (args.argc === 4) {
    if (args.argEquals(3, "write")) mode = PauseMode.Write;
    else if (!args.argEquals(3, "all")) return client.writer.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
  }
  const n = getLongLongFromObjectOrReply(client, args, 2, "ERR timeout is not an integer or out of range");
  if (n === null) return;
  if (n < 0) return client.writer.error("ERR timeout is negative");
  // getTimeoutFromObjectOrReply: now + timeout in C's int64, which wraps (to a past deadline) near 2^63.
  const end = n === 0 ? 0 : typeof n === "number" ? Date.now() + n : Number(BigInt.asIntN(64, n + BigInt(Date.now())));
  server.clientPause.pause(mode, end);
  client.writer.raw(SharedReplies.ok);
}

/** CLIENT: connection introspection and control. */
export const clientCommands = [
  defineCommand({
    name: "client",
    handler: () => {},
    subcommands: [
      defineCommand({ name: "id", handler: (_s, c) => c.writer.integer(c.id) }),
      defineCommand({
        name: "getname",
        handler: (_s, c) => {
          if (c.name === "") c.writer.nullBulk();
          else c.writer.bulkString(c.name);
        },
      }),
      defineCommand({
        name: "setname",
        handler: (_s, c, args) => {
          if (setClientName(c, args.argString(2))) c.writer.raw(SharedReplies.ok);
        },
      }),
      defineCommand({ name: "setinfo", handler: clientSetInfo }),
      defineCommand({ name: "list", handler: clientList }),
      defineCommand({
        name: "info",
        handler: (_s, c) => replyText(c, `${clientInfoLine(c, Date.now(), runningRequest(c))}\n`),
      }),
      defineCommand({ name: "kill", handler: clientKill }),
      defineCommand({
        name: "reply",
        handler: (_s, c, args) => {
          if (args.argEquals(2, "on")) {
            c.replyMode = ReplyMode.On;
            c.writer.raw(SharedReplies.ok);
          } else if (args.argEquals(2, "off")) {
            c.replyMode = ReplyMode.Off;
          } else if (args.argEquals(2, "skip")) {
            if (c.replyMode !== ReplyMode.Off) c.replyMode = ReplyMode.SkipNext;
          } else {
            c.writer.error(Errors.syntax);
          }
        },
      }),
      defineCommand({
        name: "no-evict",
        handler: (_s, c, args) => {
          if (args.argEquals(2, "on")) c.noEvict = true;
          else if (args.argEquals(2, "off")) c.noEvict = false;
          else return c.writer.error(Errors.syntax);
          c.writer.raw(SharedReplies.ok);
        },
      }),
      defineCommand({
        name: "unblock",
        handler: (server, c, args) => {
          if (args.argc === 4 && !args.argEquals(3, "timeout") && !args.argEquals(3, "error")) {
            return c.writer.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
          }
          if (args.argc > 4) return replySubcommandSyntaxError(c, "CLIENT", args.argString(1));
          const id = getLongLongFromObjectOrReply(c, args, 2);
          if (id === null) return;
          const target = typeof id === "number" ? server.clients.get(id) : undefined;
          const error = args.argc === 4 && args.argEquals(3, "error");
          c.writer.integer(target !== undefined && server.blocking.unblockWithReply(target, error) ? 1 : 0);
        },
      }),
      defineCommand({ name: "pause", handler: clientPauseCommand }),
      defineCommand({
        name: "unpause",
        handler: (server, c) => {
          server.clientPause.unpause();
          c.writer.raw(SharedReplies.ok);
        },
      }),
      defineCommand({ name: "tracking", handler: clientTracking }),
      defineCommand({ name: "caching", handler: clientCaching }),
      defineCommand({
        name: "getredir",
        handler: (_s, c) => c.writer.integer(c.tracking === null ? -1 : c.tracking.redirect),
      }),
      defineCommand({ name: "trackinginfo", handler: clientTrackingInfo }),
      defineCommand({ name: "help", handler: (_s, c) => replyHelp(c, "CLIENT", CLIENT_HELP) }),
    ],
  }),
];
