import type { ChannelName } from "@nedis/pubsub";
import type { Client } from "../net/Client.js";
import type { CommandArgs, CommandFlag, CommandHandler } from "./CommandSpec.js";
import { defineCommand } from "./CommandSpec.js";
import { replyHelp, replySubcommandSyntaxError } from "./help.js";

/** Arguments `from..argc-1` as channel names (views; the hub copies what it keeps). */
function names(args: CommandArgs, from: number): ChannelName[] {
  const out: ChannelName[] = [];
  for (let i = from; i < args.argc; i++) out.push(args.argView(i));
  return out;
}

/** Channels matching an optional glob pattern (argument 2), as PUBSUB CHANNELS lists them. */
function replyChannels(client: Client, args: CommandArgs, list: (pattern?: ChannelName) => Uint8Array[]): void {
  if (args.argc !== 2 && args.argc !== 3) return replySubcommandSyntaxError(client, "PUBSUB", args.argString(1));
  const channels = args.argc === 3 ? list(args.argView(2)) : list();
  client.writer.arrayHeader(channels.length);
  for (const c of channels) client.writer.bulk(c);
}

function replyNumsub(client: Client, args: CommandArgs, count: (channel: ChannelName) => number): void {
  client.writer.mapHeader(args.argc - 2);
  for (let i = 2; i < args.argc; i++) {
    client.writer.bulk(args.buffer, args.offsets[i]!, args.offsets[i]! + args.lengths[i]!);
    client.writer.integer(count(args.argView(i)));
  }
}

const PUBSUB_HELP = [
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
];

const SUB_FLAGS: CommandFlag[] = ["pubsub", "noscript", "loading", "stale"];
const INTROSPECT: CommandFlag[] = ["pubsub", "loading", "stale"];
const pubsubSub = (name: string, arity: number, handler: CommandHandler, flags = INTROSPECT) =>
  defineCommand({ name, arity, flags, aclCategories: flags === INTROSPECT ? ["pubsub", "slow"] : ["slow"], handler });

/** Pub/sub commands (Redis's `pubsub.c`); the channel registry is @nedis/pubsub's hub. */
export const pubsubCommands = [
  defineCommand({
    name: "subscribe",
    arity: -2,
    flags: SUB_FLAGS,
    aclCategories: ["pubsub", "slow"],
    handler: (server, client, args) => server.pubsub.subscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "unsubscribe",
    arity: -1,
    flags: SUB_FLAGS,
    aclCategories: ["pubsub", "slow"],
    handler: (server, client, args) => server.pubsub.unsubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "psubscribe",
    arity: -2,
    flags: SUB_FLAGS,
    aclCategories: ["pubsub", "slow"],
    handler: (server, client, args) => server.pubsub.psubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "punsubscribe",
    arity: -1,
    flags: SUB_FLAGS,
    aclCategories: ["pubsub", "slow"],
    handler: (server, client, args) => server.pubsub.punsubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "ssubscribe",
    arity: -2,
    flags: SUB_FLAGS,
    aclCategories: ["pubsub", "slow"],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    handler: (server, client, args) => server.pubsub.ssubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "sunsubscribe",
    arity: -1,
    flags: SUB_FLAGS,
    aclCategories: ["pubsub", "slow"],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    handler: (server, client, args) => server.pubsub.sunsubscribe(client, names(args, 1)),
  }),
  /** PUBLISH channel message: replies the number of receivers (channel plus pattern matches). */
  defineCommand({
    name: "publish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    aclCategories: ["pubsub", "fast"],
    handler(server, client, args) {
      const o = args.offsets;
      const l = args.lengths;
      client.writer.integer(server.pubsub.publishFrom(args.buffer, o[1]!, l[1]!, o[2]!, l[2]!));
    },
  }),
  defineCommand({
    name: "spublish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    aclCategories: ["pubsub", "fast"],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    handler(server, client, args) {
      client.writer.integer(server.pubsub.spublish(args.argView(1), args.argView(2)));
    },
  }),
  defineCommand({
    name: "pubsub",
    arity: -2,
    flags: [],
    aclCategories: ["slow"],
    handler: () => {},
    subcommands: [
      pubsubSub("channels", -2, (server, client, args) =>
        replyChannels(client, args, (p) => server.pubsub.channels(p)),
      ),
      pubsubSub("numsub", -2, (server, client, args) => replyNumsub(client, args, (c) => server.pubsub.numsub(c))),
      pubsubSub("numpat", 2, (server, client) => client.writer.integer(server.pubsub.numpat())),
      pubsubSub("shardchannels", -2, (server, client, args) =>
        replyChannels(client, args, (p) => server.pubsub.shardChannels(p)),
      ),
      pubsubSub("shardnumsub", -2, (server, client, args) =>
        replyNumsub(client, args, (c) => server.pubsub.shardNumsub(c)),
      ),
      pubsubSub("help", 2, (_server, client) => replyHelp(client, "PUBSUB", PUBSUB_HELP), ["loading", "stale"]),
    ],
  }),
];
