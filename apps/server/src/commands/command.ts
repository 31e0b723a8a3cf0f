import { globMatchString } from "@nedis/pubsub";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { CMD, type CommandArgs, type CommandHandler, type CommandSpec, defineCommand } from "./CommandSpec.js";
import { replyHelp } from "./help.js";
import { commandHasKeys, findKeys, fullNameOf } from "./keySpecs.js";
import { redisCommandDocs, redisCommandInfo, type TypedValue, writeTypedValue } from "./metadata/RedisMetadata.js";
import { Errors } from "./support/errors.js";

const COMMAND_HELP = [
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
];

/** Finds `name` or `container|sub` in the table. */
function lookupFullName(server: ServerContext, name: string): { cmd: CommandSpec; container: CommandSpec } | null {
  const [base, sub, extra] = name.toLowerCase().split("|");
  if (extra !== undefined) return null;
  const container = server.commands.byName(base!);
  if (container === undefined) return null;
  if (sub === undefined) return { cmd: container, container };
  const cmd = container.subcommands?.find((s) => s.name === sub);
  return cmd === undefined ? null : { cmd, container };
}

/** COMMAND INFO entry: Redis's metadata, with the subcommands this server has. */
function writeInfo(client: Client, cmd: CommandSpec, container: CommandSpec): void {
  const info = redisCommandInfo(fullNameOf(cmd, container));
  if (info === undefined || info[0] !== "array") {
    client.writer.nullBulk();
    return;
  }
  const w = client.writer;
  const fields = info[1];
  w.arrayHeader(fields.length);
  for (let i = 0; i < fields.length - 1; i++) writeTypedValue(w, fields[i]!);
  const subs = cmd === container ? (cmd.subcommands ?? []) : [];
  const subsType = fields[fields.length - 1]![0] === "set" ? "set" : "array";
  if (subsType === "set") w.setHeader(subs.length);
  else w.arrayHeader(subs.length);
  for (const s of subs) writeInfo(client, s, cmd);
}

function writeDocs(client: Client, cmd: CommandSpec, container: CommandSpec): void {
  const docs = redisCommandDocs(fullNameOf(cmd, container)) ?? (["map", []] as TypedValue);
  const items = docs[0] === "map" ? docs[1] : [];
  const subs = cmd === container ? (cmd.subcommands ?? []) : [];
  const w = client.writer;
  w.mapHeader(items.length / 2 + (subs.length > 0 ? 1 : 0));
  for (const item of items) writeTypedValue(w, item);
  if (subs.length > 0) {
    w.bulkString("subcommands");
    w.mapHeader(subs.length);
    for (const s of subs) {
      w.bulkString(fullNameOf(s, cmd));
      writeDocs(client, s, cmd);
    }
  }
}

function commandInfo(server: ServerContext, client: Client, args: CommandArgs): void {
  if (args.argc <= 2) {
    const all = server.commands.commands;
    client.writer.arrayHeader(all.length);
    for (const cmd of all) writeInfo(client, cmd, cmd);
    return;
  }
  client.writer.arrayHeader(args.argc - 2);
  for (let i = 2; i < args.argc; i++) {
    const found = lookupFullName(server, args.argString(i));
    if (found === null) client.writer.nullBulk();
    else writeInfo(client, found.cmd, found.container);
  }
}

function commandDocs(server: ServerContext, client: Client, args: CommandArgs): void {
  const found: { cmd: CommandSpec; container: CommandSpec; name: string }[] = [];
  if (args.argc === 2) {
    for (const cmd of server.commands.commands) found.push({ cmd, container: cmd, name: cmd.name });
  } else {
    for (let i = 2; i < args.argc; i++) {
      const f = lookupFullName(server, args.argString(i));
      if (f !== null) found.push({ ...f, name: fullNameOf(f.cmd, f.container) });
    }
  }
  client.writer.mapHeader(found.length);
  for (const f of found) {
    client.writer.bulkString(f.name);
    writeDocs(client, f.cmd, f.container);
  }
}

function commandList(server: ServerContext, client: Client, args: CommandArgs): void {
  let filter: ((cmd: CommandSpec, fullName: string) => boolean) | null = null;
  if (args.argc === 5 && args.argEquals(2, "filterby")) {
    const value = args.argString(4);
    if (args.argEquals(3, "module")) filter = () => false;
    else if (args.argEquals(3, "aclcat")) filter = (cmd) => cmd.aclCategories.includes(value.toLowerCase());
    else if (args.argEquals(3, "pattern")) filter = (_cmd, name) => globMatchString(value, name, true);
    else return client.writer.error(Errors.syntax);
  } else if (args.argc !== 2) {
    return client.writer.error(Errors.syntax);
  }
  const names: string[] = [];
  for (const cmd of server.commands.commands) {
    if (filter === null || filter(cmd, cmd.name)) names.push(cmd.name);
    for (const s of cmd.subcommands ?? []) {
      const name = fullNameOf(s, cmd);
      if (filter === null || filter(s, name)) names.push(name);
    }
  }
  client.writer.arrayHeader(names.length);
  for (const name of names) client.writer.bulkString(name);
}

function commandGetKeys(withFlags: boolean): CommandHandler {
  return (server, client, args) => {
    const container = server.commands.lookup(args, 2);
    let cmd = container;
    if (container?.subcommands !== undefined && args.argc >= 4)
      cmd = server.commands.lookupSubcommandAt(container, args, 3);
    if (container === undefined || cmd === undefined) return client.writer.error("ERR Invalid command specified");
    const fullName = fullNameOf(cmd, container);
    if (!commandHasKeys(cmd, fullName)) return client.writer.error("ERR The command has no key arguments");
    const argc = args.argc - 2;
    if ((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity) {
      return client.writer.error("ERR Invalid number of arguments specified for command");
    }
    const keys = findKeys(cmd, fullName, args, 2);
    if (keys === null || keys.length === 0) {
      if ((cmd.flagBits & CMD.NO_MANDATORY_KEYS) !== 0) return client.writer.arrayHeader(0);
      return client.writer.error("ERR Invalid arguments specified for command");
    }
    const w = client.writer;
    w.arrayHeader(keys.length);
    for (const key of keys) {
      if (withFlags) w.arrayHeader(2);
      w.bulk(args.buffer, args.offsets[key.index]!, args.offsets[key.index]! + args.lengths[key.index]!);
      if (withFlags) {
        w.setHeader(key.flags.length);
        for (const f of key.flags) w.simple(f);
      }
    }
  };
}

/** COMMAND: introspection of the command table, replayed from Redis's own metadata. */
export const commandCommands = [
  defineCommand({
    name: "command",
    handler: (server, client, args) => commandInfo(server, client, args),
    subcommands: [
      defineCommand({
        name: "count",
        handler: (server, client) => client.writer.integer(server.commands.commands.length),
      }),
      defineCommand({ name: "info", handler: commandInfo }),
      defineCommand({ name: "docs", handler: commandDocs }),
      defineCommand({ name: "list", handler: commandList }),
      defineCommand({ name: "getkeys", handler: commandGetKeys(false) }),
      defineCommand({ name: "getkeysandflags", handler: commandGetKeys(true) }),
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "COMMAND", COMMAND_HELP) }),
    ],
  }),
];
