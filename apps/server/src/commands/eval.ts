import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import { observersOf } from "../observe/ServerObservers.js";
import type { ServerContext } from "../ServerContext.js";
import { scriptKillHandler } from "../scripting/BusyPause.js";
import { type CachedScript, existingLuaScripting, luaScriptingOf } from "../scripting/LuaScripting.js";
import { passesScriptCommandFlags, prepareRun } from "../scripting/prepareRun.js";
import { ScriptRun } from "../scripting/ScriptRun.js";
import { parseShebang, ScriptFlag } from "../scripting/scriptFlags.js";
import { sha1hex } from "../scripting/sha1hex.js";
import type { CommandArgs } from "./CommandSpec.js";
import { defineCommand } from "./CommandSpec.js";
import { replyHelp } from "./help.js";
import { flushModeValid } from "./scripting.js";
import { getLongLongFromObjectOrReply } from "./support/numbers.js";

const SCRIPT_HELP = [
  "DEBUG (YES|SYNC|NO)",
  "    Set the debug mode for subsequent scripts executed.",
  "EXISTS <sha1> [<sha1> ...]",
  "    Return information about the existence of the scripts in the script cache.",
  "FLUSH [ASYNC|SYNC]",
  "    Flush the Lua scripts cache. Very dangerous on replicas.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the scripts cache.",
  "    * SYNC: Synchronously flush the scripts cache.",
  "KILL",
  "    Kill the currently executing Lua script.",
  "LOAD <script>",
  "    Load a script into the scripts cache without executing it.",
];
const NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

/** The cache key of EVALSHA's argument: 40 hex digits, any case (Redis lowercases them). */
function shaArgument(args: CommandArgs): string | null {
  if (args.lengths[1] !== 40) return null;
  return args.argString(1).toLowerCase();
}

/** Redis's `evalGenericCommand` + `scriptPrepareForRun`. */
function evalGeneric(server: ServerContext, client: Client, args: CommandArgs, evalsha: boolean, ro: boolean): void {
  observersOf(server).feedMonitorsBefore(client, args);
  const numkeys = getLongLongFromObjectOrReply(client, args, 2);
  if (numkeys === null) return;
  if (numkeys > args.argc - 3) return client.writer.error("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) return client.writer.error("ERR Number of keys can't be negative");
  const engine = luaScriptingOf(server);
  let sha: string | null;
  let script: CachedScript | undefined;
  if (evalsha) {
    // A client repeats the same EVALSHA: compare its bytes with the last one before making a string.
    script = engine.evalsha.lookup(args.buffer, args.offsets[1]!, args.lengths[1]!);
    sha = script === undefined ? shaArgument(args) : script.sha;
    if (sha === null) return client.writer.error(NOSCRIPT);
  } else sha = sha1hex(args.argView(1));
  script ??= engine.scripts.get(sha);
  if (script === undefined) {
    if (evalsha) return client.writer.error(NOSCRIPT);
    // Redis's evalGetCommandFlags: a new script's shebang flags decide the OOM and MISCONF
    // refusals before it is compiled (and cached).
    const shebang = parseShebang(args.argView(1));
    if ("flags" in shebang && !passesShebangFlags(server, client, shebang.flags)) return;
    const created = createScript(server, client, args.argView(1));
    if (created === null) return;
    script = engine.scripts.get(created)!;
  } else if (!passesShebangFlags(server, client, script.flags)) return;
  const prepared = prepareRun(server, client, script.flags, ro, true);
  if (prepared === null) return;
  const run = new ScriptRun(client, sha, prepared.runFlags, prepared.oomAtStart, server.commandClock);
  // The script's commands propagate as themselves (effects replication); EVAL never does.
  server.propagation.prevent();
  engine.callFunction(run, script.ref, args, 3, Number(numkeys));
}

/** A shebang script answers processCommand's OOM/MISCONF checks with the flags it declares. */
function passesShebangFlags(server: ServerContext, client: Client, flags: number): boolean {
  return (flags & ScriptFlag.EvalCompatMode) !== 0 || passesScriptCommandFlags(server, client, flags);
}

/** `luaCreateFunction` from a client's body: the SHA1, or null after replying the error. */
function createScript(server: ServerContext, client: Client, body: Uint8Array): string | null {
  const engine = luaScriptingOf(server);
  const sha = sha1hex(body);
  if (engine.scripts.has(sha)) return sha;
  const shebang = parseShebang(body);
  if ("error" in shebang) {
    client.writer.error(`ERR ${shebang.error}`);
    return null;
  }
  const created = engine.createFunction(body, shebang.flags, shebang.shebangLength);
  if ("error" in created) {
    client.writer.error(created.error);
    return null;
  }
  return created.sha;
}

/** EVAL, EVALSHA, their read-only forms, and SCRIPT (Redis's eval.c). */
export const evalCommands = [
  /** EVAL script numkeys [key ...] [arg ...] */
  defineCommand({ name: "eval", handler: (server, client, args) => evalGeneric(server, client, args, false, false) }),
  /** EVAL_RO script numkeys [key ...] [arg ...] */
  defineCommand({ name: "eval_ro", handler: (server, client, args) => evalGeneric(server, client, args, false, true) }),
  /** EVALSHA sha1 numkeys [key ...] [arg ...] */
  defineCommand({ name: "evalsha", handler: (server, client, args) => evalGeneric(server, client, args, true, false) }),
  /** EVALSHA_RO sha1 numkeys [key ...] [arg ...] */
  defineCommand({
    name: "evalsha_ro",
    handler: (server, client, args) => evalGeneric(server, client, args, true, true),
  }),
  defineCommand({
    name: "script",
    handler: () => {},
    subcommands: [
      /** SCRIPT EXISTS sha1 [sha1 ...] */
      defineCommand({
        name: "exists",
        handler: (server, client, args) => {
          const engine = existingLuaScripting(server);
          client.writer.arrayHeader(args.argc - 2);
          for (let j = 2; j < args.argc; j++) {
            // Redis's script dict hashes and compares SHAs without case.
            const found = engine?.scripts.has(args.argString(j).toLowerCase()) ?? false;
            client.writer.raw(found ? SharedReplies.one : SharedReplies.zero);
          }
        },
      }),
      /** SCRIPT FLUSH [ASYNC|SYNC] */
      defineCommand({
        name: "flush",
        handler: (server, client, args) => {
          if (!flushModeValid(args)) return client.writer.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
          existingLuaScripting(server)?.flush();
          client.writer.raw(SharedReplies.ok);
        },
      }),
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "SCRIPT", SCRIPT_HELP) }),
      /** SCRIPT DEBUG YES|SYNC|NO: nedis has no Lua debugger, so only NO (the mode scripts run in) is accepted. */
      defineCommand({
        name: "debug",
        handler: (_server, client, args) => {
          if (client.writer.length > 0)
            return client.writer.error("ERR SCRIPT DEBUG must be called outside a pipeline");
          if (args.argEquals(2, "no")) return client.writer.raw(SharedReplies.ok);
          if (args.argEquals(2, "yes") || args.argEquals(2, "sync"))
            return client.writer.error("ERR SCRIPT DEBUG YES|SYNC is not supported: nedis has no Lua debugger");
          client.writer.error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        },
      }),
      /** SCRIPT KILL */
      defineCommand({ name: "kill", handler: scriptKillHandler(true) }),
      /** SCRIPT LOAD script */
      defineCommand({
        name: "load",
        handler: (server, client, args) => {
          const sha = createScript(server, client, args.argView(2));
          if (sha !== null) client.writer.bulkString(sha);
        },
      }),
    ],
  }),
];
