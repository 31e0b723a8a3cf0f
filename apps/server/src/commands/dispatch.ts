import { ReplyMode, type Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import type { CommandArgs, CommandSpec } from "./CommandSpec.js";

/**
 * Runs one parsed command the way Redis's `processCommand` does, checks in Redis's order so a
 * client sees the same error Redis would give: lookup (with subcommands) → arity → NOAUTH →
 * handler. Errors use Redis's exact texts.
 */
export function dispatchCommand(server: ServerContext, client: Client, args: CommandArgs): void {
  const writer = client.writer;
  const mark = writer.length;
  const container = server.commands.lookup(args);
  let cmd: CommandSpec | undefined = container;
  if (container === undefined) {
    rejectUnknownCommand(client, args);
  } else {
    if (container.subcommands !== undefined && args.argc >= 2) {
      cmd = server.commands.lookupSubcommand(container, args);
      if (cmd === undefined) {
        const name = container.name.toUpperCase();
        writer.error(sanitizeError(`ERR unknown subcommand '${cString(args, 1, 128)}'. Try ${name} HELP.`));
      }
    }
    if (cmd !== undefined) runChecked(server, client, args, container, cmd);
  }
  // CLIENT REPLY OFF|SKIP: the command ran, its reply is dropped.
  if (client.replyMode !== ReplyMode.On) suppressReply(client, mark);
}

function runChecked(server: ServerContext, client: Client, args: CommandArgs, container: CommandSpec, cmd: CommandSpec): void {
  const arity = cmd.arity;
  if ((arity > 0 && arity !== args.argc) || args.argc < -arity) {
    const fullName = cmd === container ? cmd.name : `${container.name}|${cmd.name}`;
    client.writer.error(`ERR wrong number of arguments for '${fullName}' command`);
    return;
  }
  if (!client.authenticated && !server.auth.defaultUserNoPass && !cmd.flags.includes("no_auth")) {
    client.writer.error("NOAUTH Authentication required.");
    return;
  }
  client.lastCommand = cmd;
  client.lastContainer = container;
  server.stats.totalCommandsProcessed++;
  cmd.handler(server, client, args);
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
