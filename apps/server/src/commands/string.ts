import { SharedReplies } from "@nedis/resp-codec";
import { defineCommand } from "./CommandSpec.js";

/** String commands (Redis's `t_string.c`). */
export const stringCommands = [
  /** SET key value */
  defineCommand({
    name: "set", arity: -3, flags: ["write", "denyoom"], aclCategories: ["write", "string", "slow"],
    firstKey: 1, lastKey: 1, keyStep: 1,
    group: "string", summary: "Set the string value of a key", since: "1.0.0", complexity: "O(1)",
    handler(server, client, args) {
      if (args.argc !== 3) {
        client.writer.error("ERR syntax error");
        return;
      }
      server.keyspace.db(client.db).setString(
        args.buffer, args.offsets[1]!, args.lengths[1]!, args.buffer, args.offsets[2]!, args.lengths[2]!,
      );
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** GET key */
  defineCommand({
    name: "get", arity: 2, flags: ["readonly", "fast"], aclCategories: ["read", "string", "fast"],
    firstKey: 1, lastKey: 1, keyStep: 1,
    group: "string", summary: "Get the value of a key", since: "1.0.0", complexity: "O(1)",
    handler(server, client, args) {
      const value = server.keyspace.db(client.db).getString(args.buffer, args.offsets[1]!, args.lengths[1]!);
      if (value === null) client.writer.nullBulk();
      else client.writer.bulk(value);
    },
  }),
];
