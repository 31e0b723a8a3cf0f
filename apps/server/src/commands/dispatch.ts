import { SharedReplies } from "@nedis/resp-codec";
import { discardTransaction } from "../multi/discardTransaction.js";
import { StoredArgs } from "../multi/StoredArgs.js";
import { type Client, ReplyMode } from "../net/Client.js";
import { diskError } from "../persistence/diskErrors.js";
import { enoughGoodReplicas, NOREPLICAS } from "../replication/goodReplicas.js";
import type { ServerContext } from "../ServerContext.js";
import { CMD, type CommandArgs, type CommandSpec } from "./CommandSpec.js";
import { call } from "./call.js";
import { fullNameOf } from "./keySpecs.js";
import { protectedActionAllowed, protectedOptionOf } from "./protectedCommands.js";
import { Errors } from "./support/errors.js";

/**
 * Redis's `processCommand`: runs one parsed command with its checks in Redis's order, so a client
 * sees the error Redis would give: lookup (with subcommands) → arity → protected DEBUG → NOAUTH
 * → no-multi → ACL → OOM (after eviction) → MONITOR clients → RESP2 pub/sub context → CLIENT
 * PAUSE → MULTI queueing → `call()` (call.ts). Errors use Redis's exact texts. Checks test the
 * spec's `flagBits` (CMD bits); new ones (cluster redirect, MISCONF, read-only replica, loading,
 * BUSY) go in `runChecked` at Redis's place.
 */
export function dispatchCommand(server: ServerContext, client: Client, args: CommandArgs): void {
  const writer = client.writer;
  const mark = writer.length;
  const silenced = client.replyMode !== ReplyMode.On;
  if (silenced || client.heldPushes !== null) client.heldPushes = silenced ? [] : null;
  const container = server.commands.lookup(args);
  let cmd: CommandSpec | undefined = container;
  if (container === undefined) {
    rejectUnknownCommand(client, args);
    flagTransaction(client);
  } else {
    if (container.subcommands !== undefined && args.argc >= 2) {
      cmd = server.commands.lookupSubcommand(container, args);
      if (cmd === undefined) {
        // Redis names the command as the client typed it (a renamed command by its new name).
        const name = args.argString(0).toUpperCase();
        writer.error(sanitizeError(`ERR unknown subcommand '${cString(args, 1, 128)}'. Try ${name} HELP.`));
        flagTransaction(client);
      }
    }
    if (cmd !== undefined) runChecked(server, client, args, container, cmd);
  }
  // CLIENT CACHING applies to the next command only (kept across CLIENT subcommands and MULTI).
  if (client.tracking !== null && client.tracking.caching && client.multi === null && container?.name !== "client") {
    client.tracking.caching = false;
  }
  // CLIENT REPLY OFF|SKIP: the command ran, its reply is dropped.
  if (client.replyMode !== ReplyMode.On) suppressReply(client, mark);
  if (silenced) releaseHeldPushes(client);
}

function releaseHeldPushes(client: Client): void {
  const held = client.heldPushes;
  client.heldPushes = null;
  if (held !== null) for (const frame of held) client.writer.raw(frame);
}

function runChecked(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  container: CommandSpec,
  cmd: CommandSpec,
): void {
  const arity = cmd.arity;
  if ((arity > 0 && arity !== args.argc) || args.argc < -arity) {
    return reject(server, client, cmd, `ERR wrong number of arguments for '${fullNameOf(cmd, container)}' command`);
  }
  if ((cmd.flagBits & CMD.PROTECTED) !== 0 && !protectedActionAllowed(server, client, container)) {
    return reject(server, client, cmd, protectedRefusal(container));
  }
  if (!client.authenticated && !server.auth.defaultUserNoPass && (cmd.flagBits & CMD.NO_AUTH) === 0) {
    return reject(server, client, cmd, "NOAUTH Authentication required.");
  }
  if (client.multi !== null && (cmd.flagBits & CMD.NO_MULTI) !== 0)
    return reject(server, client, cmd, "ERR Command not allowed inside a transaction");
  const denied = server.auth.checkCommand(client, container, cmd, args);
  if (denied !== null) return reject(server, client, cmd, denied);
  if (server.keyspace.maxmemory !== 0 && !server.keyspace.freeMemoryIfNeeded() && rejectOnOom(client, container, cmd)) {
    return reject(server, client, cmd, Errors.oom);
  }
  // Redis's writeCommandsDeniedByDiskError: a failed save or AOF write stops writes (and PING).
  const diskDenied = diskError(server);
  if (diskDenied !== null && ((cmd.flagBits & CMD.WRITE) !== 0 || container.name === "ping")) {
    return reject(server, client, cmd, diskDenied);
  }
  if ((cmd.flagBits & CMD.WRITE) !== 0 && !enoughGoodReplicas(server)) return reject(server, client, cmd, NOREPLICAS);
  if (client.monitoring && touchesKeyspace(client, container, cmd)) {
    return reject(server, client, cmd, "ERR Replica can't interact with the keyspace");
  }
  if (client.resp === 2 && client.subscriptionCount() > 0 && (container.flagBits & CMD.PUBSUB_CONTEXT) === 0) {
    return reject(
      server,
      client,
      cmd,
      `ERR Can't execute '${fullNameOf(cmd, container)}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    );
  }
  // Redis's isInsideYieldingLongCommand: a paused busy script lets only allow-busy commands in.
  if (server.scriptBusy !== null && (cmd.flagBits & CMD.ALLOW_BUSY) === 0) {
    return reject(server, client, cmd, server.scriptBusy === "eval" ? Errors.busyEval : Errors.busyFunction);
  }
  if (server.clientPause.mode !== 0 && server.clientPause.blocks(client, container, cmd)) {
    client.postponed = true;
    server.clientPause.postponed.add(client);
    return;
  }
  if (client.multi !== null && (container.flagBits & CMD.TRANSACTION_CONTROL) === 0) {
    client.multi.push({ cmd, container, args: new StoredArgs(args) });
    client.writer.raw(SharedReplies.queued);
    return;
  }
  call(server, client, container, cmd, args);
}

/** Redis's refusal of a protected command (DEBUG, MODULE LOAD…) its enable-*-command option does not allow. */
function protectedRefusal(container: CommandSpec): string {
  const name = container.name.toUpperCase();
  return `ERR ${name} command not allowed. If the ${protectedOptionOf(container)} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`;
}

/** Redis refuses keyspace commands (read, write, may-replicate; EXEC of such) from a MONITOR client. */
function touchesKeyspace(client: Client, container: CommandSpec, cmd: CommandSpec): boolean {
  if ((cmd.flagBits & (CMD.READONLY | CMD.WRITE | CMD.MAY_REPLICATE)) !== 0) return true;
  return (
    container.name === "exec" &&
    client.multi !== null &&
    client.multi.queue.some((q) => (q.cmd.flagBits & (CMD.READONLY | CMD.WRITE)) !== 0)
  );
}

/**
 * Over maxmemory after eviction, Redis refuses commands flagged `denyoom` (and EXEC of a queue
 * holding one), and anything but EXEC/DISCARD/QUIT/RESET inside MULTI, since queueing takes memory.
 */
function rejectOnOom(client: Client, container: CommandSpec, cmd: CommandSpec): boolean {
  if ((cmd.flagBits & CMD.DENYOOM) !== 0) return true;
  const name = container.name;
  if (name === "exec") return client.multi !== null && client.multi.hasDenyOom;
  return client.multi !== null && name !== "discard" && name !== "quit" && name !== "reset";
}

/** Redis's `rejectCommand`: the error, and inside MULTI the transaction is doomed (EXECABORT). */
function reject(server: ServerContext, client: Client, cmd: CommandSpec, message: string): void {
  server.commandStats.reject(cmd.id);
  if (cmd.name === "exec" && client.multi !== null) {
    // Redis's execCommandAbort: the transaction is dropped and the reason given.
    discardTransaction(server, client);
    client.writer.error(`EXECABORT Transaction discarded because of: ${message}`);
    return;
  }
  client.writer.error(message);
  flagTransaction(client);
}

function flagTransaction(client: Client): void {
  if (client.multi !== null) client.multi.dirtyExec = true;
}

function suppressReply(client: Client, mark: number): void {
  if (client.replyMode === ReplyMode.SkipNext) {
    // The CLIENT REPLY SKIP command itself; the next one is skipped.
    client.replyMode = ReplyMode.Skip;
    client.writer.length = mark;
    return;
  }
  client.writer.length = mark;
  if (client.replyMode === ReplyMode.Skip) client.replyMode = ReplyMode.On;
}

function rejectUnknownCommand(client: Client, args: CommandArgs): void {
  let list = "";
  for (let i = 1; i < args.argc && list.length < 128; i++) list += `'${cString(args, i, 128 - list.length)}' `;
  client.writer.error(
    sanitizeError(`ERR unknown command '${cString(args, 0, 128)}', with args beginning with: ${list}`),
  );
}

/** Argument `i` as C's `%.*s` prints it: up to `max` bytes, stopping at a NUL. */
function cString(args: CommandArgs, i: number, max: number): string {
  const view = args.argView(i);
  let end = Math.min(view.length, max);
  const nul = view.subarray(0, end).indexOf(0);
  if (nul >= 0) end = nul;
  return Buffer.from(view.buffer, view.byteOffset, end).toString("latin1");
}

/** Redis replaces CR and LF in error texts so the reply stays one line. */
export function sanitizeError(text: string): string {
  return /[\r\n]/.test(text) ? text.replace(/[\r\n]/g, " ") : text;
}
