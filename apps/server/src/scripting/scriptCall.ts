import { CMD, type CommandSpec } from "../commands/CommandSpec.js";
import { call } from "../commands/call.js";
import { redisCommandInfo, type TypedValue } from "../commands/metadata/RedisMetadata.js";
import { Errors } from "../commands/support/errors.js";
import type { Client } from "../net/Client.js";
import { diskError } from "../persistence/diskErrors.js";
import { enoughGoodReplicas, NOREPLICAS } from "../replication/goodReplicas.js";
import type { ServerContext } from "../ServerContext.js";
import type { ScriptArgs } from "./ScriptArgs.js";
import { RunFlag, type ScriptRun } from "./ScriptRun.js";

/**
 * Redis's `scriptCall` (script.c): runs one `redis.call` command for the script client after
 * the checks a script's command gets instead of `processCommand`'s. Returns null when the
 * command ran (its reply is in the script client's writer), else the error text that
 * `redis.call` raises (without a code: the caller adds ERR).
 */
export function scriptCall(
  server: ServerContext,
  run: ScriptRun,
  scriptClient: Client,
  args: ScriptArgs,
): string | null {
  const container = server.commands.lookup(args);
  let cmd = container;
  if (container !== undefined && container.subcommands !== undefined && args.argc >= 2)
    cmd = server.commands.lookupSubcommand(container, args);
  if (container === undefined || cmd === undefined) return refuseUnimplemented(args);
  const refused = checkScriptCommand(server, run, scriptClient, args, container, cmd);
  if (refused !== null) {
    server.commandStats.reject(cmd.id);
    return refused;
  }
  if ((cmd.flagBits & CMD.WRITE) !== 0) run.flags |= RunFlag.WriteDirty;
  call(server, scriptClient, container, cmd, args);
  return null;
}

/** The checks of Redis's `scriptCall`, in its order: the refusal text, or null. */
function checkScriptCommand(
  server: ServerContext,
  run: ScriptRun,
  scriptClient: Client,
  args: ScriptArgs,
  container: CommandSpec,
  cmd: CommandSpec,
): string | null {
  const arity = cmd.arity;
  if ((arity > 0 && arity !== args.argc) || args.argc < -arity)
    return "Wrong number of args calling Redis command from script";
  if ((cmd.flagBits & CMD.NOSCRIPT) !== 0) return "This Redis command is not allowed from script";
  const denied = server.auth.checkCommand(scriptClient, container, cmd, args);
  if (denied !== null) return `The user executing the script ${aclReason(denied)}`;
  const flags = cmd.flagBits;
  if ((run.flags & RunFlag.ReadOnly) !== 0 && (flags & (CMD.WRITE | CMD.MAY_REPLICATE)) !== 0)
    return "Write commands are not allowed from read-only scripts.";
  if ((flags & CMD.WRITE) !== 0 && (run.flags & RunFlag.WriteDirty) === 0) {
    const denied = diskError(server);
    if (denied !== null) return `-${denied}`;
    if (!enoughGoodReplicas(server)) return `-${NOREPLICAS}`;
  }
  if (
    (run.flags & RunFlag.AllowOom) === 0 &&
    server.keyspace.maxmemory !== 0 &&
    (run.flags & RunFlag.WriteDirty) === 0 &&
    run.oomAtStart &&
    (flags & CMD.DENYOOM) !== 0
  ) {
    return `-${Errors.oom}`;
  }
  return null;
}

/**
 * A command nedis does not implement is unknown here too, except one Redis would refuse in a
 * script anyway (CLUSTER …): its refusal is Redis's, from Redis's command table.
 */
function refuseUnimplemented(args: ScriptArgs): string {
  const name = args.argString(0).toLowerCase();
  const info =
    (args.argc >= 2 ? redisCommandInfo(`${name}|${args.argString(1).toLowerCase()}`) : undefined) ??
    redisCommandInfo(name);
  if (info === undefined || info[0] !== "array") return "Unknown Redis command called from script";
  const [, arityValue, flagsValue] = info[1] as TypedValue[];
  const arity = arityValue?.[0] === "int" ? Number(arityValue[1]) : 0;
  if ((arity > 0 && arity !== args.argc) || args.argc < -arity)
    return "Wrong number of args calling Redis command from script";
  const flags = flagsValue?.[0] === "set" ? (flagsValue[1] as TypedValue[]) : [];
  if (flags.some((f) => f[1] === "noscript")) return "This Redis command is not allowed from script";
  return "Unknown Redis command called from script";
}

/** `getAclErrorMessage` for the NOPERM text our ACL check gives. */
function aclReason(denied: string): string {
  if (denied.includes("keys")) return "can't access at least one of the keys mentioned in the command";
  if (denied.includes("channels")) return "can't publish to the channel mentioned in the command";
  return "can't run this command or subcommand";
}
