import { globMatch } from "@nedis/pubsub";
import { SharedReplies } from "@nedis/resp-codec";
import { observersOf } from "../observe/ServerObservers.js";
import type { ServerContext } from "../ServerContext.js";
import { scriptKillHandler } from "../scripting/BusyPause.js";
import { LUA_ENGINE_NAME } from "../scripting/functions/FunctionLibraries.js";
import {
  functionsDumpPayload,
  restoreFunctionRecords,
  validDumpPayload,
} from "../scripting/functions/functionsPayload.js";
import { existingFunctions, functionsOf, LOAD_TIMEOUT_MS } from "../scripting/functions/serverFunctions.js";
import { SCRIPT_FLAG_NAMES } from "../scripting/scriptFlags.js";
import type { CommandArgs } from "./CommandSpec.js";
import { type CommandHandler, defineCommand } from "./CommandSpec.js";
import { replyHelp, replySubcommandSyntaxError } from "./help.js";
import { Errors } from "./support/errors.js";

/**
 * FUNCTION: loading, listing, deleting, dumping and restoring libraries (Redis's functions.c).
 * Every change counts as a write (`dirty`), so it reaches the AOF as the command itself.
 * (FCALL: fcall.ts; EVAL and SCRIPT: eval.ts.)
 */

const FUNCTION_HELP = [
  "LOAD [REPLACE] <FUNCTION CODE>",
  "    Create a new library with the given library name and code.",
  "DELETE <LIBRARY NAME>",
  "    Delete the given library.",
  "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
  "    Return general information on all the libraries:",
  "    * Library name",
  "    * The engine used to run the Library",
  "    * Library description",
  "    * Functions list",
  "    * Library code (if WITHCODE is given)",
  "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
  "STATS",
  "    Return information about the current function running:",
  "    * Function name",
  "    * Command used to run the function",
  "    * Duration in MS that the function is running",
  "    If no function is running, return nil",
  "    In addition, returns a list of available engines.",
  "KILL",
  "    Kill the current running function.",
  "FLUSH [ASYNC|SYNC]",
  "    Delete all the libraries.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the libraries.",
  "    * SYNC: Synchronously flush the libraries.",
  "DUMP",
  "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
  "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
  "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
  "    control how to handle existing libraries (default APPEND):",
  "    * FLUSH: delete all existing libraries.",
  "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
  "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
  "      libraries with the new libraries (notice that even on this option there is a chance of failure",
  "      in case of functions name collision with another library).",
];

/** FUNCTION FLUSH [ASYNC|SYNC] and SCRIPT FLUSH [ASYNC|SYNC] share their option check. */
export function flushModeValid(args: CommandArgs): boolean {
  return args.argc === 2 || (args.argc === 3 && (args.argEquals(2, "sync") || args.argEquals(2, "async")));
}

function changed(server: ServerContext): void {
  server.keyspace.dirty++;
}

/** FUNCTION LOAD [REPLACE] code */
const functionLoad: CommandHandler = (server, client, args) => {
  let replace = false;
  let at = 2;
  while (at < args.argc - 1) {
    if (!args.argEquals(at, "replace")) return client.writer.error(`ERR Unknown option given: ${args.argString(at)}`);
    replace = true;
    at++;
  }
  if (at >= args.argc) return client.writer.error("ERR Function code is missing");
  const loaded = functionsOf(server).libraries.create(Buffer.from(args.argView(at)), replace, LOAD_TIMEOUT_MS);
  if ("error" in loaded) return client.writer.error(`ERR ${loaded.error}`);
  changed(server);
  client.writer.bulkString(loaded.name);
};

/** FUNCTION DELETE library-name */
const functionDelete: CommandHandler = (server, client, args) => {
  if (existingFunctions(server)?.libraries.delete(args.argString(2)) !== true) {
    return client.writer.error("ERR Library not found");
  }
  changed(server);
  client.writer.raw(SharedReplies.ok);
};

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: each option at most once. */
const functionList: CommandHandler = (server, client, args) => {
  let withCode = false;
  let pattern: Uint8Array | null = null;
  for (let i = 2; i < args.argc; i++) {
    if (!withCode && args.argEquals(i, "withcode")) {
      withCode = true;
      continue;
    }
    if (pattern === null && args.argEquals(i, "libraryname")) {
      if (i >= args.argc - 1) return client.writer.error("ERR library name argument was not given");
      pattern = args.argView(++i);
      continue;
    }
    return client.writer.error(`ERR Unknown argument ${args.argString(i)}`);
  }
  const all = [...(existingFunctions(server)?.libraries.libraries.values() ?? [])];
  const libraries =
    pattern === null ? all : all.filter((library) => globMatch(pattern, Buffer.from(library.name, "latin1"), true));
  const w = client.writer;
  w.arrayHeader(libraries.length);
  for (const library of libraries) {
    w.mapHeader(withCode ? 4 : 3);
    w.bulkString("library_name");
    w.bulk(Buffer.from(library.name, "latin1"));
    w.bulkString("engine");
    w.bulkString(LUA_ENGINE_NAME);
    w.bulkString("functions");
    w.arrayHeader(library.functions.size);
    for (const fn of library.functions.values()) {
      w.mapHeader(3);
      w.bulkString("name");
      w.bulk(Buffer.from(fn.name, "latin1"));
      w.bulkString("description");
      if (fn.description === null) w.nullBulk();
      else w.bulk(Buffer.from(fn.description, "latin1"));
      w.bulkString("flags");
      const flags = SCRIPT_FLAG_NAMES.filter(([, bit]) => (fn.flags & bit) !== 0);
      w.setHeader(flags.length);
      for (const [name] of flags) w.simple(name);
    }
    if (withCode) {
      w.bulkString("library_code");
      w.bulk(library.code);
    }
  }
};

/**
 * FUNCTION STATS: the function running now (a busy one, paused between slices) with the command
 * that started it, and the Lua engine's library and function counts. A busy EVAL script gets BUSY.
 */
const functionStats: CommandHandler = (server, client) => {
  if (server.scriptBusy === "eval") return client.writer.error(Errors.busyEval);
  const functions = existingFunctions(server);
  const libraries = functions?.libraries;
  const running = server.scriptBusy === "function" ? (functions?.running() ?? null) : null;
  const w = client.writer;
  w.mapHeader(2);
  w.bulkString("running_script");
  if (running === null) w.nullBulk();
  else {
    w.mapHeader(3);
    w.bulkString("name");
    w.bulk(Buffer.from(running.run.funcName, "latin1"));
    w.bulkString("command");
    w.arrayHeader(running.command.length);
    for (const arg of running.command) w.bulk(arg);
    w.bulkString("duration_ms");
    w.integer(Math.floor(running.run.elapsedMs()));
  }
  w.bulkString("engines");
  w.mapHeader(1);
  w.bulkString(LUA_ENGINE_NAME);
  w.mapHeader(2);
  w.bulkString("libraries_count");
  w.integer(libraries?.libraries.size ?? 0);
  w.bulkString("functions_count");
  w.integer(libraries?.functionsCount ?? 0);
};

/** FUNCTION DUMP: the libraries' codes as RDB records, the RDB version and a CRC-64. */
const functionDump: CommandHandler = (server, client) => {
  const libraries = existingFunctions(server)?.libraries.libraries.values() ?? [];
  client.writer.bulk(functionsDumpPayload(libraries, server.config.bool("rdbcompression")));
};

/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] (APPEND by default) */
const functionRestore: CommandHandler = (server, client, args) => {
  if (args.argc > 4) return replySubcommandSyntaxError(client, "FUNCTION", args.argString(1));
  let policy = "append";
  if (args.argc === 4) {
    policy = args.argString(3).toLowerCase();
    if (policy !== "append" && policy !== "replace" && policy !== "flush") {
      return client.writer.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
  }
  const payload = args.argView(2);
  if (!validDumpPayload(payload, observersOf(server).debug.skipChecksumValidation)) {
    return client.writer.error("ERR DUMP payload version or checksum are wrong");
  }
  const functions = functionsOf(server);
  const restored = functions.newContext();
  let error = restoreFunctionRecords(payload, restored);
  if (error === null && policy === "flush") {
    functions.libraries.clear();
    functions.libraries = restored;
  } else {
    if (error === null) error = functions.libraries.join(restored, policy === "replace");
    // What the join did not take (all of it on an error) is freed.
    restored.clear();
  }
  if (error !== null) return client.writer.error(`ERR ${error}`);
  changed(server);
  client.writer.raw(SharedReplies.ok);
};

/** FUNCTION FLUSH [ASYNC|SYNC]: both drop the libraries now. */
const functionFlush: CommandHandler = (server, client, args) => {
  if (args.argc > 3) return replySubcommandSyntaxError(client, "FUNCTION", args.argString(1));
  if (!flushModeValid(args)) return client.writer.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  existingFunctions(server)?.libraries.clear();
  changed(server);
  client.writer.raw(SharedReplies.ok);
};

export const scriptingCommands = [
  defineCommand({
    name: "function",
    handler: () => {},
    subcommands: [
      defineCommand({ name: "delete", handler: functionDelete }),
      defineCommand({ name: "dump", handler: functionDump }),
      defineCommand({ name: "flush", handler: functionFlush }),
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "FUNCTION", FUNCTION_HELP) }),
      /** FUNCTION KILL: stops a busy function that has not written yet. */
      defineCommand({ name: "kill", handler: scriptKillHandler(false) }),
      defineCommand({ name: "list", handler: functionList }),
      defineCommand({ name: "load", handler: functionLoad }),
      defineCommand({ name: "restore", handler: functionRestore }),
      defineCommand({ name: "stats", handler: functionStats }),
    ],
  }),
];
