import { ENCODING_NAMES, estimateIdleTimeMs, Lookup, lfuDecrAndReturn, Meta } from "@nedis/keyspace";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { replyHelp } from "./help.js";
import { Errors } from "./support/errors.js";
import { ANY_TYPE, lookupReadOrReply } from "./support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "./support/numbers.js";

/** Redis's OBJ_SHARED_REFCOUNT: shared integers 0..9999 report INT_MAX references. */
const SHARED_REFCOUNT = 2147483647;

const OBJECT_HELP = [
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
];

/** `objectCommandLookupOrReply`: the key without touching it or emitting `keymiss`; nil reply if absent. */
function lookupOrNil(server: ServerContext, client: Client, args: CommandArgs): number {
  return lookupReadOrReply(
    client,
    server.keyspace.db(client.db),
    args,
    2,
    ANY_TYPE,
    null,
    Lookup.NoTouch | Lookup.NoNotify,
  );
}

/** OBJECT REFCOUNT of the value at `ref`: shared small integers report Redis's shared count. */
export function objectRefcount(server: ServerContext, dbIndex: number, ref: number): number {
  return server.keyspace.db(dbIndex).isSharedInteger(ref) ? SHARED_REFCOUNT : 1;
}

/** OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP (object.c). */
export const objectCommands = [
  defineCommand({
    name: "object",
    handler: () => {},
    subcommands: [
      defineCommand({
        name: "encoding",
        handler: (server, client, args) => {
          const ref = lookupOrNil(server, client, args);
          if (ref < 0) return;
          client.writer.bulkString(ENCODING_NAMES[server.keyspace.db(client.db).encodingAt(ref)] ?? "unknown");
        },
      }),
      defineCommand({
        name: "refcount",
        handler: (server, client, args) => {
          const ref = lookupOrNil(server, client, args);
          if (ref < 0) return;
          client.writer.integer(objectRefcount(server, client.db, ref));
        },
      }),
      defineCommand({
        name: "idletime",
        handler: (server, client, args) => {
          const ref = lookupOrNil(server, client, args);
          if (ref < 0) return;
          const ks = server.keyspace;
          if (ks.lfu) {
            client.writer.error(
              "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
            );
            return;
          }
          const lru = ks.db(client.db).metaAt(ref) & Meta.LRU_MASK;
          client.writer.integer(Math.floor(estimateIdleTimeMs(ks.lruClock, lru) / 1000));
        },
      }),
      defineCommand({
        name: "freq",
        handler: (server, client, args) => {
          const ref = lookupOrNil(server, client, args);
          if (ref < 0) return;
          const ks = server.keyspace;
          if (!ks.lfu) {
            client.writer.error(
              "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
            );
            return;
          }
          const field = ks.db(client.db).metaAt(ref) & Meta.LRU_MASK;
          client.writer.integer(lfuDecrAndReturn(field, ks.lfuMinutes, ks.lfuDecayTime));
        },
      }),
      defineCommand({
        name: "help",
        handler: (_server, client) => replyHelp(client, "OBJECT", OBJECT_HELP),
      }),
    ],
  }),
];

/**
 * MEMORY USAGE key [SAMPLES count]: bytes of the key's entry in the pool plus its index record
 * and what its value owns beyond the entry, as its value type counts it. Exported for the MEMORY container's subcommand list.
 */
export const memoryUsageSubcommand = defineCommand({
  name: "usage",
  handler(server, client, args) {
    // Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES.
    let samples = 5;
    for (let j = 3; j < args.argc; j++) {
      if (args.argEquals(j, "samples") && j + 1 < args.argc) {
        const count = getLongLongFromObjectOrReply(client, args, j + 1);
        if (count === null) return;
        // Redis's memoryCommand: a negative count is a syntax error (0 means "sample all").
        if (count < 0) {
          client.writer.error(Errors.syntax);
          return;
        }
        samples = Number(count);
        j++;
      } else {
        client.writer.error(Errors.syntax);
        return;
      }
    }
    const ks = server.keyspace;
    const db = ks.db(client.db);
    const ref = lookupReadOrReply(client, db, args, 2, ANY_TYPE, null, Lookup.NoTouch | Lookup.NoNotify);
    if (ref >= 0) client.writer.integer(ks.memoryUsageOf(db, ref, samples));
  },
});
