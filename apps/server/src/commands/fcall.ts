import { BEYOND_SAFE, parseLongLong, parseLongLongBig } from "@nedis/keyspace";
import type { Client } from "../net/Client.js";
import { observersOf } from "../observe/ServerObservers.js";
import type { ServerContext } from "../ServerContext.js";
import { existingFunctions } from "../scripting/functions/serverFunctions.js";
import { passesScriptCommandFlags, prepareRun } from "../scripting/prepareRun.js";
import { ScriptRun } from "../scripting/ScriptRun.js";
import type { CommandArgs } from "./CommandSpec.js";
import { defineCommand } from "./CommandSpec.js";

/** Redis's `fcallCommandGeneric`: the function by name (any case), numkeys, the flag checks, the run. */
function fcallGeneric(server: ServerContext, client: Client, args: CommandArgs, ro: boolean): void {
  // Functions are fed to MONITOR before the commands they run (FCALL itself is skip-monitor).
  observersOf(server).feedMonitorsBefore(client, args);
  const functions = existingFunctions(server);
  const fn = functions?.libraries.function(args.argString(1));
  if (functions === undefined || fn === undefined) return client.writer.error("ERR Function not found");
  if (!passesScriptCommandFlags(server, client, fn.flags)) return;
  const off = args.offsets[2]!;
  // getLongLongFromObject without a reply of its own: any non-integer is "bad".
  const end = off + args.lengths[2]!;
  let numkeys = parseLongLong(args.buffer, off, end);
  // Past 2^53 only the sign matters to the checks below.
  if (numkeys === BEYOND_SAFE) numkeys = Number(parseLongLongBig(args.buffer, off, end));
  if (numkeys !== numkeys) return client.writer.error("ERR Bad number of keys provided");
  if (numkeys > args.argc - 3) return client.writer.error("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) return client.writer.error("ERR Number of keys can't be negative");
  const prepared = prepareRun(server, client, fn.flags, ro, false);
  if (prepared === null) return;
  const run = new ScriptRun(client, fn.name, prepared.runFlags, prepared.oomAtStart, server.commandClock);
  // The function's commands propagate as themselves (effects replication); FCALL never does.
  server.propagation.prevent();
  functions.engine.lua.callFunction(run, fn.ref, args, 3, numkeys, true);
  // Paused as busy: FUNCTION STATS shows its command (Redis reads the caller's argv), copied
  // now while the arguments are still there.
  if (functions.engine.lua.run === run) {
    const command: Buffer[] = [];
    for (let i = 0; i < args.argc; i++) command.push(Buffer.from(args.argView(i)));
    functions.lastCall = { run, command };
  }
}

/** FCALL and FCALL_RO (functions.c). */
export const fcallCommands = [
  /** FCALL function numkeys [key ...] [arg ...] */
  defineCommand({ name: "fcall", handler: (server, client, args) => fcallGeneric(server, client, args, false) }),
  /** FCALL_RO function numkeys [key ...] [arg ...] */
  defineCommand({ name: "fcall_ro", handler: (server, client, args) => fcallGeneric(server, client, args, true) }),
];
