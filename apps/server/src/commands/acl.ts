import { randomBytes } from "node:crypto";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { ACL_CATEGORIES, categoryBit } from "../security/AclCommandSet.js";
import { saveAclFile } from "../security/AclFile.js";
import { AclDenied, reasonName } from "../security/AclLog.js";
import { AclRuleError } from "../security/AclRuleError.js";
import { type AclSelector, channelListAllows, hasSpaces, SelectorFlag } from "../security/AclSelector.js";
import { type AclUser, mergeSelectorArguments, USER_FLAGS } from "../security/AclUser.js";
import { channelsDescription, describeCommandRules, describeUser, keysDescription } from "../security/describeAcl.js";
import { type CommandArgs, type CommandHandler, defineCommand } from "./CommandSpec.js";
import { replyHelp, replySubcommandSyntaxError } from "./help.js";
import { getLongFromObjectOrReply } from "./support/numbers.js";

const ACL_HELP = [
  "CAT [<category>]",
  "    List all commands that belong to <category>, or all command categories",
  "    when no category is specified.",
  "DELUSER <username> [<username> ...]",
  "    Delete a list of users.",
  "DRYRUN <username> <command> [<arg> ...]",
  "    Returns whether the user can execute the given command without executing the command.",
  "GETUSER <username>",
  "    Get the user's details.",
  "GENPASS [<bits>]",
  "    Generate a secure 256-bit user password. The optional `bits` argument can",
  "    be used to specify a different size.",
  "LIST",
  "    Show users details in config file format.",
  "LOAD",
  "    Reload users from the ACL file.",
  "LOG [<count> | RESET]",
  "    Show the ACL log entries.",
  "SAVE",
  "    Save the current config to the ACL file.",
  "SETUSER <username> <attribute> [<attribute> ...]",
  "    Create or modify a user with the specified attributes.",
  "USERS",
  "    List all the registered usernames.",
  "WHOAMI",
  "    Return the current connection username.",
];

const NO_ACL_FILE =
  "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.";

const GENPASS_MAX_BITS = 4096;

/** Redis's `addReplyErrorFormat` turns CR and LF into spaces. */
function errorText(text: string): string {
  return text.replace(/[\r\n]/g, " ");
}

/**
 * Disconnects the clients authenticated as `name` (ACL DELUSER, ACL LOAD): first they fall back
 * to the unauthenticated default user, as Redis does defensively; the caller itself is closed
 * after its reply.
 */
function killClientsOfUser(server: ServerContext, current: Client, name: string): void {
  for (const c of [...server.clients.values()]) {
    if (c.user !== name) continue;
    c.user = "default";
    c.authenticated = false;
    if (c === current) c.closeAfterReply = true;
    else c.socket.destroy();
  }
}

/**
 * Redis's `ACLKillPubsubClientsIfNeeded`: when new rules no longer cover every channel pattern
 * the user had, its pub/sub clients may hold subscriptions they lost the right to, and they are
 * disconnected. The hub does not expose a client's subscriptions, so every pub/sub client of the
 * user is disconnected in that case (Redis keeps those whose subscriptions are still allowed).
 */
function killPubsubClientsIfNeeded(server: ServerContext, current: Client, next: AclUser, original: AclUser): void {
  if (next.selectors.some((s) => s.hasFlag(SelectorFlag.AllChannels))) return;
  const upcoming = next.selectors.flatMap((s) => s.channels);
  // Losing allchannels is never a superset of what the user had, whatever patterns it keeps.
  const kept = original.selectors.every(
    (s) =>
      !s.hasFlag(SelectorFlag.AllChannels) && s.channels.every((c) => channelListAllows(upcoming, c.pattern, true)),
  );
  if (kept) return;
  for (const c of [...server.clients.values()]) {
    if (c.user !== original.name || c.subscriptionCount() === 0) continue;
    if (c === current) c.closeAfterReply = true;
    else c.socket.destroy();
  }
}

/** ACL SETUSER username [rule ...]: all rules apply, or none. */
function aclSetUser(server: ServerContext, client: Client, args: CommandArgs): void {
  const name = args.argString(2);
  if (hasSpaces(name)) return client.writer.error("ERR Usernames can't contain spaces or null characters");
  const words: string[] = [];
  for (let i = 3; i < args.argc; i++) words.push(args.argString(i));
  const merged = mergeSelectorArguments(words);
  if ("unmatched" in merged) {
    return client.writer.error(
      errorText(`ERR Unmatched parenthesis in acl selector starting at '${words[merged.unmatched]}'.`),
    );
  }
  const auth = server.auth;
  const existing = auth.getUser(name);
  const staged = existing !== undefined ? existing.copy() : auth.newUser(name);
  for (const rule of merged.rules) {
    try {
      staged.apply(rule);
    } catch (err) {
      if (!(err instanceof AclRuleError)) throw err;
      return client.writer.error(errorText(`ERR Error in ACL SETUSER modifier '${rule}': ${err.message}`));
    }
  }
  if (existing !== undefined) {
    killPubsubClientsIfNeeded(server, client, staged, existing);
    existing.copyFrom(staged);
  } else {
    auth.users.set(name, staged);
  }
  client.writer.raw(SharedReplies.ok);
}

/** ACL DELUSER username [username ...]: the number of users deleted; their clients are closed. */
function aclDelUser(server: ServerContext, client: Client, args: CommandArgs): void {
  for (let j = 2; j < args.argc; j++) {
    if (args.argString(j) === "default") return client.writer.error("ERR The 'default' user cannot be removed");
  }
  let deleted = 0;
  for (let j = 2; j < args.argc; j++) {
    const name = args.argString(j);
    if (!server.auth.users.delete(name)) continue;
    killClientsOfUser(server, client, name);
    deleted++;
  }
  client.writer.integer(deleted);
}

/** The commands/keys/channels fields of a selector (ACL GETUSER). */
function writeSelectorFields(client: Client, s: AclSelector): void {
  const w = client.writer;
  w.bulkString("commands");
  w.bulkString(describeCommandRules(s));
  w.bulkString("keys");
  w.bulkString(keysDescription(s));
  w.bulkString("channels");
  w.bulkString(channelsDescription(s));
}

/** ACL GETUSER username: flags, password hashes, root selector, other selectors; nil if unknown. */
function aclGetUser(server: ServerContext, client: Client, args: CommandArgs): void {
  const user = server.auth.getUser(args.argString(2));
  const w = client.writer;
  if (user === undefined) return w.nullBulk();
  w.mapHeader(6);
  w.bulkString("flags");
  const flags = USER_FLAGS.filter(([, bit]) => (user.flags & bit) !== 0);
  w.setHeader(flags.length);
  for (const [name] of flags) w.bulkString(name);
  w.bulkString("passwords");
  w.arrayHeader(user.passwords.length);
  for (const p of user.passwords) w.bulkString(p);
  writeSelectorFields(client, user.root);
  w.bulkString("selectors");
  w.arrayHeader(user.selectors.length - 1);
  for (const s of user.selectors.slice(1)) {
    w.mapHeader(3);
    writeSelectorFields(client, s);
  }
}

/** ACL LIST: every user as an ACL file line; ACL USERS: the names. */
function aclList(justNames: boolean): CommandHandler {
  return (server, client) => {
    const users = server.auth.sortedUsers();
    client.writer.arrayHeader(users.length);
    for (const u of users) client.writer.bulkString(justNames ? u.name : `user ${u.name} ${describeUser(u)}`);
  };
}

/** ACL LOAD: the ACL file replaces every user; clients of the old users are disconnected. */
function aclLoad(server: ServerContext, client: Client): void {
  if (server.config.string("aclfile") === "") return client.writer.error(NO_ACL_FILE);
  const result = server.auth.loadFile();
  if ("errors" in result) return client.writer.error(errorText(`ERR ${result.errors}`));
  for (const u of result.replaced) killClientsOfUser(server, client, u.name);
  client.writer.raw(SharedReplies.ok);
}

/** ACL SAVE: writes every user to the ACL file. */
function aclSave(server: ServerContext, client: Client): void {
  const file = server.config.string("aclfile");
  if (file === "") return client.writer.error(NO_ACL_FILE);
  const failure = saveAclFile(server.auth, file);
  if (failure === null) return client.writer.raw(SharedReplies.ok);
  server.log.warning(`Writing ACL file for ACL SAVE: ${failure}`);
  client.writer.error(
    "ERR There was an error trying to save the ACLs. Please check the server logs for more information",
  );
}

/** ACL CAT [category]: the categories, or the commands (and subcommands) of one. */
function aclCat(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  if (args.argc === 2) {
    w.arrayHeader(ACL_CATEGORIES.length);
    for (const c of ACL_CATEGORIES) w.bulkString(c);
    return;
  }
  if (args.argc > 3) return replySubcommandSyntaxError(client, "ACL", args.argString(1));
  const bit = categoryBit(args.argString(2));
  if (bit === 0) return w.error(errorText(`ERR Unknown category '${args.argString(2).slice(0, 128)}'`));
  const names: string[] = [];
  for (const cmd of server.auth.commands.topLevel) {
    if ((cmd.categories & bit) !== 0) names.push(cmd.fullName);
    for (const sub of cmd.subcommands) if ((sub.categories & bit) !== 0) names.push(sub.fullName);
  }
  w.arrayHeader(names.length);
  for (const n of names) w.bulkString(n);
}

/** ACL GENPASS [bits]: random hex, 256 bits unless told. */
function aclGenPass(_server: ServerContext, client: Client, args: CommandArgs): void {
  if (args.argc > 3) return replySubcommandSyntaxError(client, "ACL", args.argString(1));
  let bits = 256;
  if (args.argc === 3) {
    const n = getLongFromObjectOrReply(client, args, 2);
    if (n === null) return;
    bits = Number(n);
  }
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    return client.writer.error(
      `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`,
    );
  }
  const chars = Math.floor((bits + 3) / 4);
  client.writer.bulkString(
    randomBytes(Math.ceil(chars / 2))
      .toString("hex")
      .slice(0, chars),
  );
}

/** ACL LOG [count | RESET]: the newest denials (10 unless told), or clears the log. */
function aclLog(server: ServerContext, client: Client, args: CommandArgs): void {
  if (args.argc > 3) return replySubcommandSyntaxError(client, "ACL", args.argString(1));
  const log = server.auth.log;
  let count = 10;
  if (args.argc === 3) {
    if (args.argEquals(2, "reset")) {
      log.reset();
      return client.writer.raw(SharedReplies.ok);
    }
    const n = getLongFromObjectOrReply(client, args, 2);
    if (n === null) return;
    count = Number(n);
    if (count < 0) count = 0;
  }
  const entries = log.entries.slice(0, count);
  const now = Date.now();
  const w = client.writer;
  w.arrayHeader(entries.length);
  for (const e of entries) {
    w.mapHeader(7);
    w.bulkString("count");
    w.integer(e.count);
    w.bulkString("reason");
    w.bulkString(reasonName(e.reason));
    w.bulkString("context");
    w.bulkString(e.context);
    w.bulkString("object");
    w.bulkString(e.object);
    w.bulkString("username");
    w.bulkString(e.username);
    w.bulkString("age-seconds");
    w.double((now - e.createdAt) / 1000);
    w.bulkString("client-info");
    w.bulkString(e.clientInfo);
  }
}

/** ACL DRYRUN username command [arg ...]: OK, or why the user could not run it. */
function aclDryRun(server: ServerContext, client: Client, args: CommandArgs): void {
  const auth = server.auth;
  const user = auth.getUser(args.argString(2));
  if (user === undefined) return client.writer.error(errorText(`ERR User '${args.argString(2)}' not found`));
  const argc = args.argc - 3;
  const top = auth.commands.lookup(args.argString(3));
  const acl =
    top !== undefined && top.subcommands.length > 0 && argc >= 2
      ? auth.commands.lookup(`${top.fullName}|${args.argString(4)}`)
      : top;
  if (acl === undefined) return client.writer.error(errorText(`ERR Command '${args.argString(3)}' not found`));
  if ((acl.arity > 0 && acl.arity !== argc) || argc < -acl.arity) {
    return client.writer.error(`ERR wrong number of arguments for '${acl.fullName}' command`);
  }
  const container = server.commands.lookup(args, 3);
  const spec =
    container === undefined
      ? undefined
      : acl.parent === null
        ? container
        : server.commands.lookupSubcommandAt(container, args, 4);
  const at = { index: 0 };
  const denied = auth.dryRun(user, acl, spec, args, 3, at);
  if (denied === 0) return client.writer.raw(SharedReplies.ok);
  const text =
    denied === AclDenied.Command
      ? `This user has no permissions to run the '${acl.fullName}' command`
      : denied === AclDenied.Key
        ? `This user has no permissions to access the '${args.argString(at.index)}' key`
        : `This user has no permissions to access the '${args.argString(at.index)}' channel`;
  client.writer.bulkString(text);
}

/** ACL: users, their permissions, and the security log (Redis's `acl.c` commands). */
export const aclCommands = [
  defineCommand({
    name: "acl",
    handler: () => {},
    subcommands: [
      defineCommand({ name: "setuser", handler: aclSetUser }),
      defineCommand({ name: "deluser", handler: aclDelUser }),
      defineCommand({ name: "getuser", handler: aclGetUser }),
      defineCommand({ name: "list", handler: aclList(false) }),
      defineCommand({ name: "users", handler: aclList(true) }),
      defineCommand({ name: "whoami", handler: (_s, c) => c.writer.bulkString(c.user) }),
      defineCommand({ name: "load", handler: aclLoad }),
      defineCommand({ name: "save", handler: aclSave }),
      defineCommand({ name: "cat", handler: aclCat }),
      defineCommand({ name: "genpass", handler: aclGenPass }),
      defineCommand({ name: "log", handler: aclLog }),
      defineCommand({ name: "dryrun", handler: aclDryRun }),
      defineCommand({ name: "help", handler: (_s, c) => replyHelp(c, "ACL", ACL_HELP) }),
    ],
  }),
];
