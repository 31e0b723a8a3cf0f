import { SharedReplies } from "@nedis/resp-codec";
import { memtoull } from "../config/numbers.js";
import { rewriteConfigFile } from "../config/rewriteConfig.js";
import { strerror } from "../config/specialKinds.js";
import type { Client } from "../net/Client.js";
import { observersOf, randomHex40 } from "../observe/ServerObservers.js";
import { debugReload } from "../persistence/debugReload.js";
import type { ServerContext } from "../ServerContext.js";
import type { CommandArgs } from "./CommandSpec.js";
import { defineCommand } from "./CommandSpec.js";
import { debugDigest, debugDigestValue, debugObject, debugPopulate } from "./debugKeyspace.js";
import { replyHelp, replySubcommandSyntaxError } from "./help.js";

/** Redis 7.0's DEBUG HELP, whole: it documents subcommands nedis does not run too. */
const DEBUG_HELP = [
  "AOF-FLUSH-SLEEP <microsec>",
  "    Server will sleep before flushing the AOF, this is used for testing.",
  "ASSERT",
  "    Crash by assertion failed.",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "    Dangerous: should be used only for testing the replication subsystem.",
  "CONFIG-REWRITE-FORCE-ALL",
  "    Like CONFIG REWRITE but writes all configuration options, including",
  "    keywords not listed in original configuration file or default values.",
  "CRASH-AND-RECOVER [<milliseconds>]",
  "    Hard crash and restart after a <milliseconds> delay (default 0).",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LEAK <string>",
  "    Create a memory leak of the input string.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "HTSTATS <dbid>",
  "    Return hash table statistics of the specified Redis database.",
  "HTSTATS-KEY <key>",
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  "LOADAOF",
  "    Flush the AOF buffers on disk and reload the AOF in memory.",
  "REPLICATE <string>",
  "    Replicates the provided string to replicas, allowing data divergence.",
  "MALLCTL <key> [<val>]",
  "    Get or set a malloc tuning integer.",
  "MALLCTL-STR <key> [<val>]",
  "    Get or set a malloc tuning string.",
  "OBJECT <key>",
  "    Show low level info about `key` and associated value.",
  "DROP-CLUSTER-PACKET-FILTER <packet-type>",
  "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
  "OOM",
  "    Crash the server simulating an out-of-memory error.",
  "PANIC",
  "    Crash the server simulating a panic.",
  "POPULATE <count> [<prefix>] [<size>]",
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  "    replicas. Cluster slots are not respected so keys not belonging to the",
  "    current node can be created in cluster mode.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "RELOAD [option ...]",
  "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
  "    * MERGE: conflicting keys will be loaded from RDB.",
  "    * NOFLUSH: the existing database will not be removed before load, but",
  "      conflicting keys will generate an exception and kill the server.",
  "    * NOSAVE: the database will be loaded from an existing RDB file.",
  "    Examples:",
  "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
  "      the database.",
  "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
  "      existing RDB file.",
  "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
  "      file to the database.",
  "RESTART [<milliseconds>]",
  "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
  "SDSLEN <key>",
  "    Show low level SDS string info representing `key` and value.",
  "SEGFAULT",
  "    Crash the server with sigsegv.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "QUICKLIST-PACKED-THRESHOLD <size>",
  "    Sets the threshold for elements to be inserted as plain vs packed nodes",
  "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
  "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "STRINGMATCH-TEST",
  "    Run a fuzz tester against the stringmatchlen() function.",
  "STRUCTSIZE",
  "    Return the size of different Redis core C structures.",
  "LISTPACK <key>",
  "    Show low level info about the listpack encoding of <key>.",
  "QUICKLIST <key> [<0|1>]",
  "    Show low level info about the quicklist encoding of <key>.",
  "    The optional argument (0 by default) sets the level of detail",
  "CLIENT-EVICTION",
  "    Show low level client eviction pools info (maxmemory-clients).",
  "PAUSE-CRON <0|1>",
  "    Stop periodic cron job processing.",
  "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
  "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
  "    In case NEVER is provided the last observed peak will never be reset",
  "    In case RESET is provided the peak reset time will be restored to the default value",
  "REPLYBUFFER RESIZING <0|1>",
  "    Enable or disable the reply buffer resize cron job",
  "CLUSTERLINK KILL <to|from|all> <node-id>",
  "    Kills the link based on the direction to/from (both) with the provided node.",
];

/** C's atoi: optional spaces and sign, then digits, stopping at the first other byte. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m === null ? 0 : Number.parseInt(m[1]!, 10) | 0;
}

/** C's strtod on the longest valid prefix (0 when none). */
function strtod(text: string): number {
  const m =
    /^[ \t\n\v\f\r]*([+-]?(?:inf(?:inity)?|nan|0x[0-9a-f]*\.?[0-9a-f]*(?:p[+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))/i.exec(
      text,
    );
  if (m === null) return 0;
  const word = m[1]!.toLowerCase();
  if (word.includes("inf")) return word.startsWith("-") ? -Infinity : Infinity;
  if (word.includes("nan")) return Number.NaN;
  if (word.replace(/^[+-]/, "").startsWith("0x")) return Number.parseInt(word, 16) || 0;
  return Number(word);
}

/** Blocks the event loop like Redis's nanosleep: DEBUG SLEEP stops the whole server. */
function sleepSync(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 2 ** 31 - 1));
}

/** DEBUG PROTOCOL <type>: one sample reply of each RESP type (debug.c). */
function debugProtocol(client: Client, type: string): void {
  const w = client.writer;
  switch (type.toLowerCase()) {
    case "string":
      return w.bulkString("Hello World");
    case "integer":
      return w.integer(12345);
    case "double":
      return w.double(3.141);
    case "bignum":
      return w.bigNumber("1234567999999999999999999999999999999");
    case "null":
      return w.nullBulk();
    case "array":
      w.arrayHeader(3);
      for (let j = 0; j < 3; j++) w.integer(j);
      return;
    case "set":
      w.setHeader(3);
      for (let j = 0; j < 3; j++) w.integer(j);
      return;
    case "map":
      w.mapHeader(3);
      for (let j = 0; j < 3; j++) {
        w.integer(j);
        w.boolean(j === 1);
      }
      return;
    case "attrib":
      if (client.resp >= 3) {
        w.attributeHeader(1);
        w.bulkString("key-popularity");
        w.arrayHeader(2);
        w.bulkString("key:123");
        w.integer(90);
      }
      return w.bulkString("Some real reply following the attribute");
    case "push":
      if (client.resp < 3) return w.error("ERR RESP2 is not supported by this command");
      w.pushHeader(2);
      w.bulkString("server-cpu-usage");
      w.integer(42);
      return w.bulkString("Some real reply following the push reply");
    case "true":
      return w.boolean(true);
    case "false":
      return w.boolean(false);
    case "verbatim":
      return w.verbatim("This is a verbatim\nstring");
    default:
      return w.error(
        "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
      );
  }
}

/** The subcommands nedis runs, by name and exact argument count (debug.c matches both). */
function runDebug(server: ServerContext, client: Client, args: CommandArgs): boolean {
  const argc = args.argc;
  const w = client.writer;
  const flags = observersOf(server).debug;
  const is = (name: string, count: number) => argc === count && args.argEquals(1, name);
  if (is("help", 2)) {
    replyHelp(client, "DEBUG", DEBUG_HELP);
  } else if (is("sleep", 3)) {
    // Redis truncates seconds*1e6 to whole microseconds before sleeping.
    sleepSync(Math.trunc(strtod(args.argString(2)) * 1e6) / 1000);
    w.raw(SharedReplies.ok);
  } else if (is("set-active-expire", 3)) {
    flags.activeExpire = atoi(args.argString(2)) !== 0;
    w.raw(SharedReplies.ok);
  } else if (is("quicklist-packed-threshold", 3)) {
    const size = memtoull(args.argString(2));
    if (size === null || size > (1n << 32n) - (1n << 20n)) {
      w.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
    } else {
      flags.quicklistPackedThreshold = size === 0n ? 1 << 30 : Number(size);
      w.raw(SharedReplies.ok);
    }
  } else if (is("config-rewrite-force-all", 2)) {
    // Redis calls rewriteConfig(server.configfile, 1) unchecked: without a file, fopen(NULL) fails.
    const path = server.config.configFile;
    try {
      if (path === null) throw Object.assign(new Error("Bad address"), { code: "EFAULT" });
      rewriteConfigFile(server.config, path, true);
      w.raw(SharedReplies.ok);
    } catch (err) {
      w.error(`ERR CONFIG-REWRITE-FORCE-ALL failed: ${strerror(err)}`);
    }
  } else if (is("pause-cron", 3)) {
    flags.pauseCron = atoi(args.argString(2)) !== 0;
    w.raw(SharedReplies.ok);
  } else if (is("set-skip-checksum-validation", 3)) {
    flags.skipChecksumValidation = atoi(args.argString(2)) !== 0;
    w.raw(SharedReplies.ok);
  } else if (is("change-repl-id", 2)) {
    const observers = observersOf(server);
    server.log.warning("Changing replication IDs after receiving DEBUG change-repl-id");
    observers.replid = randomHex40();
    observers.replid2 = "0".repeat(40);
    w.raw(SharedReplies.ok);
  } else if (is("log", 3)) {
    server.log.warning(`DEBUG LOG: ${args.argString(2)}`);
    w.raw(SharedReplies.ok);
  } else if (is("error", 3)) {
    // Raw, as Redis writes it: not an error reply it counts (no errorstats, no failed_calls).
    w.raw(Buffer.from(`-${args.argString(2).replace(/[\r\n]/g, " ")}\r\n`, "latin1"));
  } else if (is("protocol", 3)) {
    debugProtocol(client, args.argString(2));
  } else if (args.argEquals(1, "populate") && argc >= 3 && argc <= 5) {
    debugPopulate(server, client, args);
  } else if (is("object", 3)) {
    debugObject(server, client, args);
  } else if (args.argEquals(1, "reload")) {
    debugReload(server, client, args);
  } else if (is("digest", 2)) {
    debugDigest(server, client);
  } else if (is("loadaof", 2)) {
    // The dataset is replaced by the AOF's: nothing of it is propagated (Redis sets dirty to 0).
    server.aof.debugLoadAof();
    server.propagation.prevent();
    w.raw(SharedReplies.ok);
  } else if (args.argEquals(1, "digest-value") && argc >= 2) {
    debugDigestValue(server, client, args);
  } else {
    return false;
  }
  return true;
}

/**
 * DEBUG <subcommand>: the test-suite switches (SLEEP, SET-ACTIVE-EXPIRE, …). Refused unless
 * `enable-debug-command` allows it, as Redis 7.0 refuses protected commands. DIGEST, OBJECT and
 * RELOAD are here; the crash helpers wait for the keyspace and persistence APIs they need.
 */
export const debugCommands = [
  defineCommand({
    name: "debug",
    // Whether DEBUG may run at all (`enable-debug-command`) is checked by the dispatcher.
    handler(server, client, args) {
      if (!runDebug(server, client, args)) replySubcommandSyntaxError(client, "DEBUG", args.argString(1));
    },
  }),
];
