import { type ConfigOption, implemented, inert, notYetSupported, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LLONG_MAX, numericKind, stringKind } from "../kinds.js";
import { changeDirectory, dirKind, saveKind } from "../specialKinds.js";
import { validateAofDirname, validateAofFilename, validateDbFilename } from "../validators.js";

/** Snapshots (RDB) and the append-only file (persistence owner). */
export const PERSISTENCE_OPTIONS: readonly ConfigOption[] = [
  option("dir", implemented, dirKind, ".", { protected: true, effect: changeDirectory }),
  option("save", implemented, saveKind, "3600 1 300 100 60 10000", { multiArg: true }),
  option("stop-writes-on-bgsave-error", implemented, boolKind(), "yes"),
  option("rdbcompression", implemented, boolKind(), "yes"),
  option("rdbchecksum", implemented, boolKind(), "yes", { mutable: false }),
  // Deletes the RDB files made for replication: nedis makes none (no replication yet).
  option("rdb-del-sync-files", notYetSupported(), boolKind(), "no"),
  option("rdb-save-incremental-fsync", inert, boolKind(), "yes"),
  option("dbfilename", implemented, stringKind({ validate: validateDbFilename }), "dump.rdb", { protected: true }),
  option("appendonly", implemented, boolKind(), "no"),
  option("appendfilename", implemented, stringKind({ validate: validateAofFilename }), "appendonly.aof", {
    mutable: false,
  }),
  option("appenddirname", implemented, stringKind({ validate: validateAofDirname }), "appendonlydir", {
    mutable: false,
  }),
  option("appendfsync", implemented, enumKind(["everysec", "always", "no"] as const), "everysec"),
  // nedis keeps fsyncing while rewriting (the safe side of this option) and writes files through
  // Node, whose incremental-fsync knobs below have no counterpart: only durability after a power
  // loss could differ, never a reply.
  option("no-appendfsync-on-rewrite", inert, boolKind(), "no"),
  option("auto-aof-rewrite-percentage", implemented, intKind(0n, INT_MAX), "100"),
  option("auto-aof-rewrite-min-size", implemented, numericKind({ min: 0n, max: LLONG_MAX, memory: true }), "67108864"),
  option("aof-load-truncated", implemented, boolKind(), "yes"),
  option("aof-use-rdb-preamble", implemented, boolKind(), "yes"),
  option("aof-rewrite-incremental-fsync", inert, boolKind(), "yes"),
  // Timestamp annotations are not written: refused rather than silently ignored.
  option(
    "aof-timestamp-enabled",
    notYetSupported(),
    boolKind((v) => (v ? "aof-timestamp-enabled yes is not supported by nedis" : null)),
    "no",
  ),
  option("aof-disable-auto-gc", implemented, boolKind(), "no"),
];
