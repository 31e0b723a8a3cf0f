import { defineCommand } from "./CommandSpec.js";

/** Key-space commands that work on keys of any type (Redis's `db.c` / `generic` group). */
export const genericCommands = [
  /** DEL key [key ...] */
  defineCommand({
    name: "del", arity: -2, flags: ["write"], aclCategories: ["keyspace", "write", "slow"],
    firstKey: 1, lastKey: -1, keyStep: 1,
    group: "generic", summary: "Delete a key", since: "1.0.0",
    complexity: "O(N) where N is the number of keys that will be removed.",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      let removed = 0;
      for (let i = 1; i < args.argc; i++) if (db.delete(args.buffer, args.offsets[i]!, args.lengths[i]!)) removed++;
      client.writer.integer(removed);
    },
  }),
  /** EXISTS key [key ...]: a key named twice counts twice. */
  defineCommand({
    name: "exists", arity: -2, flags: ["readonly", "fast"], aclCategories: ["keyspace", "read", "fast"],
    firstKey: 1, lastKey: -1, keyStep: 1,
    group: "generic", summary: "Determine if a key exists", since: "1.0.0",
    complexity: "O(N) where N is the number of keys to check.",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      let found = 0;
      for (let i = 1; i < args.argc; i++) if (db.exists(args.buffer, args.offsets[i]!, args.lengths[i]!)) found++;
      client.writer.integer(found);
    },
  }),
];
