import { SharedReplies } from "@nedis/resp-codec";
import { observersOf } from "../observe/ServerObservers.js";
import { type CommandFlag, type CommandHandler, defineCommand } from "./CommandSpec.js";
import { replyHelp, replySubcommandSyntaxError } from "./help.js";
import { getRangeLongFromObjectOrReply, LONG_MAX } from "./support/numbers.js";

const SLOWLOG_HELP = [
  "GET [<count>]",
  "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
  "    Entries are made of:",
  "    id, timestamp, time in microseconds, arguments array, client IP and port,",
  "    client name",
  "LEN",
  "    Return the length of the slowlog.",
  "RESET",
  "    Reset the slowlog.",
];

const ADMIN: CommandFlag[] = ["admin", "loading", "stale"];

const sub = (
  name: string,
  arity: number,
  summary: string,
  since: string,
  complexity: string,
  handler: CommandHandler,
) =>
  defineCommand({
    name,
    arity,
    flags: ADMIN,
    aclCategories: ["admin", "slow", "dangerous"],
    group: "server",
    summary,
    since,
    complexity,
    handler,
  });

/** SLOWLOG GET [count] */
const slowlogGet: CommandHandler = (server, client, args) => {
  if (args.argc > 3) return replySubcommandSyntaxError(client, "SLOWLOG", args.argString(1));
  let count = 10;
  if (args.argc === 3) {
    const n = getRangeLongFromObjectOrReply(
      client,
      args,
      2,
      -1,
      LONG_MAX,
      "ERR count should be greater than or equal to -1",
    );
    if (n === null) return;
    count = n;
  }
  const w = client.writer;
  const entries = observersOf(server).slowlog.newest(count);
  w.arrayHeader(entries.length);
  for (const e of entries) {
    w.arrayHeader(6);
    w.integer(e.id);
    w.integer(e.time);
    w.integer(e.duration);
    w.arrayHeader(e.args.length);
    for (const arg of e.args) w.bulk(arg);
    w.bulkString(e.peer);
    w.bulkString(e.name);
  }
};

/** SLOWLOG: the log of commands slower than `slowlog-log-slower-than` µs (slowlog.c). */
export const slowlogCommands = [
  defineCommand({
    name: "slowlog",
    arity: -2,
    flags: [],
    aclCategories: ["slow"],
    group: "server",
    summary: "A container for slow log commands",
    since: "2.2.12",
    complexity: "Depends on subcommand.",
    handler: () => {},
    subcommands: [
      sub(
        "get",
        -2,
        "Get the slow log's entries",
        "2.2.12",
        "O(N) where N is the number of entries returned",
        slowlogGet,
      ),
      sub("len", 2, "Get the slow log's length", "2.2.12", "O(1)", (server, client) =>
        client.writer.integer(observersOf(server).slowlog.length),
      ),
      sub(
        "reset",
        2,
        "Clear all entries from the slow log",
        "2.2.12",
        "O(N) where N is the number of entries in the slowlog",
        (server, client) => {
          observersOf(server).slowlog.reset();
          client.writer.raw(SharedReplies.ok);
        },
      ),
      defineCommand({
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        aclCategories: ["slow"],
        group: "server",
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        complexity: "O(1)",
        handler: (_server, client) => replyHelp(client, "SLOWLOG", SLOWLOG_HELP),
      }),
    ],
  }),
];
