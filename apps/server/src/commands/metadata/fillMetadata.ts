import { type CommandFlag, type CommandSpec, flagBitsOf } from "../CommandSpec.js";
import { redisCommandInfo, type TypedValue } from "./RedisMetadata.js";

/**
 * Fills each spec (and its subcommands, as `container|sub`) in place with Redis 7.0's own arity,
 * flags, ACL categories and legacy key positions, from the COMMAND INFO snapshot, and computes
 * `flagBits`. Runs once, when the command table is built; throws on a spec without a handler or
 * a name Redis 7.0 lacks (a newer command goes into the snapshot's `addNewerCommands`).
 *
 * Only numbers and short strings are kept (equal flag and category lists share one frozen
 * array), never a part of the snapshot, so the snapshot stays only weakly held.
 */
export function withRedisMetadata<T extends readonly CommandSpec[]>(commands: T): T {
  const lists = new Map<string, readonly string[]>();
  for (const cmd of commands) {
    fill(cmd, cmd.name, lists);
    // The by-name bits (PUBSUB_CONTEXT, TRANSACTION_CONTROL) are a top-level command's only
    // (SLOWLOG RESET is no RESET).
    cmd.flagBits = flagBitsOf(cmd.flags, cmd.name);
    for (const sub of cmd.subcommands ?? []) {
      fill(sub, `${cmd.name}|${sub.name}`, lists);
      sub.flagBits = flagBitsOf(sub.flags, null, `${cmd.name}|${sub.name}`);
    }
  }
  return commands;
}

function fill(spec: CommandSpec, fullName: string, lists: Map<string, readonly string[]>): void {
  if (typeof spec.handler !== "function") throw new Error(`command ${fullName} has no handler`);
  const info = redisCommandInfo(fullName);
  if (info === undefined || info[0] !== "array")
    throw new Error(
      `command ${fullName} is not in Redis 7.0's command metadata (metadata/redis-commands.json): ` +
        "add a newer Redis command's metadata in RedisMetadata.ts's addNewerCommands",
    );
  const f = info[1];
  const flags = strings(f[2]);
  for (const flag of flags)
    if (flagBitsOf([flag as CommandFlag], null) === 0) throw new Error(`command ${fullName}: unknown flag ${flag}`);
  spec.arity = int(f[1], fullName);
  spec.flags = shared(lists, flags) as readonly CommandFlag[];
  spec.aclCategories = shared(
    lists,
    strings(f[6]).map((c) => c.slice(1)),
  );
  spec.firstKey = int(f[3], fullName);
  spec.lastKey = int(f[4], fullName);
  spec.keyStep = int(f[5], fullName);
}

function int(v: TypedValue | undefined, fullName: string): number {
  if (v === undefined || v[0] !== "int") throw new Error(`command ${fullName}: malformed COMMAND INFO entry`);
  return v[1];
}

function strings(v: TypedValue | undefined): string[] {
  return v !== undefined && Array.isArray(v[1]) ? v[1].map((x) => String(x[1])) : [];
}

/** One frozen array per distinct list: most commands share a handful of flag and category sets. */
function shared(lists: Map<string, readonly string[]>, list: string[]): readonly string[] {
  const key = list.join(" ");
  let found = lists.get(key);
  if (found === undefined) {
    found = Object.freeze(list);
    lists.set(key, found);
  }
  return found;
}
