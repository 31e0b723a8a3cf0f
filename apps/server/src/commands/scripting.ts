import { SharedReplies } from "@nedis/resp-codec";
import { crc64 } from "../observe/crc64.js";
import { observersOf } from "../observe/ServerObservers.js";
import type { CommandArgs } from "./CommandSpec.js";
import { type CommandHandler, defineCommand } from "./CommandSpec.js";
import { replyHelp, replySubcommandSyntaxError } from "./help.js";

/**
 * FUNCTION management over an empty function library: Redis Functions are not built yet, so
 * every answer is the one Redis 7.0 gives with nothing loaded and nothing running; FUNCTION
 * LOAD and FCALL stay unknown rather than pretending to work. (EVAL and SCRIPT: eval.ts.)
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

/** Redis 7.0's RDB_VERSION, written in the footer of dump payloads. */
const RDB_VERSION = 10;
/** RDB_OPCODE_FUNCTION2 and RDB_OPCODE_FUNCTION_PRE_GA: the records FUNCTION DUMP writes. */
const OPCODE_FUNCTION2 = 245;
const OPCODE_FUNCTION_PRE_GA = 246;

export const NOTBUSY = "NOTBUSY No scripts in execution right now.";

/** The payload of an empty library: no records, then the RDB version and the CRC-64. */
function emptyDumpPayload(): Uint8Array {
  const payload = new Uint8Array(10);
  payload[0] = RDB_VERSION & 0xff;
  payload[1] = RDB_VERSION >> 8;
  payload.set(crc64(payload, 0, 2), 2);
  return payload;
}

/** verifyDumpPayload: a version Redis 7.0 reads and, unless disabled, a matching CRC-64. */
function validDumpPayload(payload: Uint8Array, skipChecksum: boolean): boolean {
  if (payload.length < 10) return false;
  const footer = payload.length - 10;
  if ((payload[footer]! | (payload[footer + 1]! << 8)) > RDB_VERSION) return false;
  if (skipChecksum) return true;
  const crc = crc64(payload, 0, payload.length - 8);
  for (let i = 0; i < 8; i++) if (crc[i] !== payload[footer + 2 + i]) return false;
  return true;
}

/** FUNCTION FLUSH [ASYNC|SYNC] and SCRIPT FLUSH [ASYNC|SYNC] share their option check. */
export function flushModeValid(args: CommandArgs): boolean {
  return args.argc === 2 || (args.argc === 3 && (args.argEquals(2, "sync") || args.argEquals(2, "async")));
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: each option at most once. */
const functionList: CommandHandler = (_server, client, args) => {
  let withCode = false;
  let libraryName = false;
  for (let i = 2; i < args.argc; i++) {
    if (!withCode && args.argEquals(i, "withcode")) {
      withCode = true;
      continue;
    }
    if (!libraryName && args.argEquals(i, "libraryname")) {
      if (i >= args.argc - 1) return client.writer.error("ERR library name argument was not given");
      libraryName = true;
      i++;
      continue;
    }
    return client.writer.error(`ERR Unknown argument ${args.argString(i)}`);
  }
  client.writer.arrayHeader(0);
};

/** FUNCTION STATS: nothing running; the Lua engine with no libraries (Redis 7.0's shape). */
const functionStats: CommandHandler = (_server, client) => {
  const w = client.writer;
  w.mapHeader(2);
  w.bulkString("running_script");
  w.nullBulk();
  w.bulkString("engines");
  w.mapHeader(1);
  w.bulkString("LUA");
  w.mapHeader(2);
  w.bulkString("libraries_count");
  w.integer(0);
  w.bulkString("functions_count");
  w.integer(0);
};

/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] */
const functionRestore: CommandHandler = (server, client, args) => {
  if (args.argc > 4) return replySubcommandSyntaxError(client, "FUNCTION", args.argString(1));
  if (args.argc === 4 && !args.argEquals(3, "append") && !args.argEquals(3, "replace") && !args.argEquals(3, "flush")) {
    return client.writer.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
  }
  const payload = args.argView(2);
  if (!validDumpPayload(payload, observersOf(server).debug.skipChecksumValidation)) {
    return client.writer.error("ERR DUMP payload version or checksum are wrong");
  }
  if (payload.length > 10) {
    // A library record: there is no engine to create it with.
    const type = payload[0]!;
    if (type !== OPCODE_FUNCTION2 && type !== OPCODE_FUNCTION_PRE_GA)
      return client.writer.error("ERR given type is not a function");
    return client.writer.error("ERR failed loading the given functions payload");
  }
  client.writer.raw(SharedReplies.ok);
};

export const scriptingCommands = [
  defineCommand({
    name: "function",
    handler: () => {},
    subcommands: [
      defineCommand({ name: "delete", handler: (_server, client) => client.writer.error("ERR Library not found") }),
      defineCommand({ name: "dump", handler: (_server, client) => client.writer.bulk(emptyDumpPayload()) }),
      defineCommand({
        name: "flush",
        handler: (_server, client, args) => {
          if (args.argc > 3) return replySubcommandSyntaxError(client, "FUNCTION", args.argString(1));
          if (!flushModeValid(args)) return client.writer.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
          client.writer.raw(SharedReplies.ok);
        },
      }),
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "FUNCTION", FUNCTION_HELP) }),
      defineCommand({ name: "kill", handler: (_server, client) => client.writer.error(NOTBUSY) }),
      defineCommand({ name: "list", handler: functionList }),
      defineCommand({ name: "restore", handler: functionRestore }),
      defineCommand({ name: "stats", handler: functionStats }),
    ],
  }),
];
