import type { ChannelName } from "@nedis/pubsub";
import type { Client } from "../net/Client.js";
import type { CommandArgs } from "./CommandSpec.js";
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

/** Pub/sub commands (Redis's `pubsub.c`); the channel registry is @nedis/pubsub's hub. */
export const pubsubCommands = [
  defineCommand({
    name: "subscribe",
    handler: (server, client, args) => server.pubsub.subscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "unsubscribe",
    handler: (server, client, args) => server.pubsub.unsubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "psubscribe",
    handler: (server, client, args) => server.pubsub.psubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "punsubscribe",
    handler: (server, client, args) => server.pubsub.punsubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "ssubscribe",
    handler: (server, client, args) => server.pubsub.ssubscribe(client, names(args, 1)),
  }),
  defineCommand({
    name: "sunsubscribe",
    handler: (server, client, args) => server.pubsub.sunsubscribe(client, names(args, 1)),
  }),
  /** PUBLISH channel message: replies the number of receivers (channel plus pattern matches). */
  defineCommand({
    name: "publish",
    handler(server, client, args) {
      const o = args.offsets;
      const l = args.lengths;
      client.writer.integer(server.pubsub.publishFrom(args.buffer, o[1]!, l[1]!, o[2]!, l[2]!));
    },
  }),
  defineCommand({
    name: "spublish",
    handler(server, client, args) {
      client.writer.integer(server.pubsub.spublish(args.argView(1), args.argView(2)));
    },
  }),
  defineCommand({
    name: "pubsub",
    handler: () => {},
    subcommands: [
      defineCommand({
        name: "channels",
        handler: (server, client, args) => replyChannels(client, args, (p) => server.pubsub.channels(p)),
      }),
      defineCommand({
        name: "numsub",
        handler: (server, client, args) => replyNumsub(client, args, (c) => server.pubsub.numsub(c)),
      }),
      defineCommand({ name: "numpat", handler: (server, client) => client.writer.integer(server.pubsub.numpat()) }),
      defineCommand({
        name: "shardchannels",
        handler: (server, client, args) => replyChannels(client, args, (p) => server.pubsub.shardChannels(p)),
      }),
      defineCommand({
        name: "shardnumsub",
        handler: (server, client, args) => replyNumsub(client, args, (c) => server.pubsub.shardNumsub(c)),
      }),
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "PUBSUB", PUBSUB_HELP) }),
    ],
  }),
];
