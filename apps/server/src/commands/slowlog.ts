import { SharedReplies } from "@nedis/resp-codec";
import { observersOf } from "../observe/ServerObservers.js";
import { type CommandHandler, defineCommand } from "./CommandSpec.js";
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
    handler: () => {},
    subcommands: [
      defineCommand({ name: "get", handler: slowlogGet }),
      defineCommand({
        name: "len",
        handler: (server, client) => client.writer.integer(observersOf(server).slowlog.length),
      }),
      defineCommand({
        name: "reset",
        handler: (server, client) => {
          observersOf(server).slowlog.reset();
          client.writer.raw(SharedReplies.ok);
        },
      }),
      defineCommand({
        name: "help",
        handler: (_server, client) => replyHelp(client, "SLOWLOG", SLOWLOG_HELP),
      }),
    ],
  }),
];
