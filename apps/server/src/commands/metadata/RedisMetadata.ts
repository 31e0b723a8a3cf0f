import { readFileSync } from "node:fs";
import type { ReplyWriter } from "@nedis/resp-codec";

/**
 * Redis 7.0.15's own command metadata (COMMAND INFO and COMMAND DOCS, captured with
 * `scripts/capture-redis-commands.mjs` from a real redis-server, RESP3 types kept). COMMAND
 * replays it for the commands nedis has, so introspection is byte-for-byte Redis's. The command
 * table's own arity/flags/categories are checked against it by a test.
 */
export type TypedValue =
  | ["simple" | "bulk" | "error" | "verbatim" | "double", string]
  | ["int", number]
  | ["null", null]
  | ["bool", boolean]
  | ["array" | "set" | "map" | "push", TypedValue[]];

interface Snapshot {
  info: Record<string, TypedValue>;
  docs: Record<string, TypedValue>;
}

// Read at run time, not bundled: as a module the snapshot cost ~5 MB of heap and code for the
// life of the server. Beside the bundle in dist/ (tsup copies it), beside this file in src/.
const SNAPSHOT_URL = new URL("./redis-commands.json", import.meta.url);

// Held weakly: what the server needs at run time (ACL categories, key specs) is derived once at
// startup, and COMMAND INFO / COMMAND DOCS are rare. Kept strongly, the tables were a few
// megabytes and tens of thousands of small arrays that every full collection had to mark
// (redis-cli asks for COMMAND DOCS on connect); weakly, the collector drops them when it runs.
let info: WeakRef<Record<string, TypedValue>> | null = null;
let docs: WeakRef<Record<string, TypedValue>> | null = null;

function readSnapshot(): Snapshot {
  const data = JSON.parse(readFileSync(SNAPSHOT_URL, "latin1")) as Snapshot;
  addNewerCommands(data);
  return data;
}

// Only the half asked for gets a WeakRef: a weakly held table outlives young-generation
// collections and is promoted, where an unreferenced one dies in the first scavenge (the
// startup read, for ACL and key specs, would otherwise leave the docs on the old heap).
function infoTable(): Record<string, TypedValue> {
  let table = info?.deref();
  if (table === undefined) {
    table = readSnapshot().info;
    info = new WeakRef(table);
  }
  return table;
}

function docsTable(): Record<string, TypedValue> {
  let table = docs?.deref();
  if (table === undefined) {
    table = readSnapshot().docs;
    docs = new WeakRef(table);
  }
  return table;
}

// Commands nedis answers that Redis 7.0 lacks, with the metadata of the Redis version that added
// them: CLIENT SETINFO (7.2) is sent by current client libraries on connect.
function addNewerCommands(data: Snapshot): void {
  data.info["client|setinfo"] = [
    "array",
    [
      ["bulk", "client|setinfo"],
      ["int", 4],
      [
        "set",
        [
          ["simple", "noscript"],
          ["simple", "loading"],
          ["simple", "stale"],
        ],
      ],
      ["int", 0],
      ["int", 0],
      ["int", 0],
      [
        "set",
        [
          ["simple", "@slow"],
          ["simple", "@connection"],
        ],
      ],
      [
        "set",
        [
          ["bulk", "request_policy:all_nodes"],
          ["bulk", "response_policy:all_succeeded"],
        ],
      ],
      ["set", []],
      ["set", []],
    ],
  ];
  data.docs["client|setinfo"] = [
    "map",
    [
      ["bulk", "summary"],
      ["bulk", "Set client or connection specific info"],
      ["bulk", "since"],
      ["bulk", "7.2.0"],
      ["bulk", "group"],
      ["bulk", "connection"],
      ["bulk", "complexity"],
      ["bulk", "O(1)"],
      ["bulk", "arguments"],
      [
        "array",
        [
          [
            "map",
            [
              ["bulk", "name"],
              ["bulk", "attr"],
              ["bulk", "type"],
              ["bulk", "oneof"],
              ["bulk", "arguments"],
              [
                "array",
                [
                  [
                    "map",
                    [
                      ["bulk", "name"],
                      ["bulk", "libname"],
                      ["bulk", "type"],
                      ["bulk", "string"],
                      ["bulk", "token"],
                      ["bulk", "LIB-NAME"],
                    ],
                  ],
                  [
                    "map",
                    [
                      ["bulk", "name"],
                      ["bulk", "libver"],
                      ["bulk", "type"],
                      ["bulk", "string"],
                      ["bulk", "token"],
                      ["bulk", "LIB-VER"],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ];
}

/** COMMAND INFO entry of a command or `container|sub`, with an empty subcommand list. */
export function redisCommandInfo(fullName: string): TypedValue | undefined {
  return infoTable()[fullName];
}

/** Every command and `container|sub` name of the snapshot. */
export function redisCommandNames(): string[] {
  return Object.keys(infoTable());
}

/** COMMAND DOCS entry (a map) of a command or `container|sub`, without subcommands. */
export function redisCommandDocs(fullName: string): TypedValue | undefined {
  return docsTable()[fullName];
}

/** Writes a captured value with the writer's protocol (RESP3 types downgrade for RESP2). */
export function writeTypedValue(w: ReplyWriter, v: TypedValue): void {
  switch (v[0]) {
    case "simple":
      w.simple(v[1]);
      break;
    case "error":
      w.error(v[1]);
      break;
    case "bulk":
      w.bulkString(v[1]);
      break;
    case "verbatim":
      w.verbatim(v[1].slice(4), v[1].slice(0, 3));
      break;
    case "double":
      w.doubleText(v[1]);
      break;
    case "int":
      w.integer(v[1]);
      break;
    case "null":
      w.nullBulk();
      break;
    case "bool":
      w.boolean(v[1]);
      break;
    case "array":
    case "push":
      w.arrayHeader(v[1].length);
      for (const item of v[1]) writeTypedValue(w, item);
      break;
    case "set":
      w.setHeader(v[1].length);
      for (const item of v[1]) writeTypedValue(w, item);
      break;
    case "map":
      w.mapHeader(v[1].length / 2);
      for (const item of v[1]) writeTypedValue(w, item);
      break;
  }
}

/** A field of a captured map, by key. */
export function mapField(map: TypedValue, key: string): TypedValue | undefined {
  if (map[0] !== "map") return undefined;
  const items = map[1];
  for (let i = 0; i < items.length; i += 2) if (items[i]![1] === key) return items[i + 1];
  return undefined;
}
