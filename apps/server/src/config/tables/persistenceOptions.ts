import { type ConfigOption, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LLONG_MAX, numericKind, stringKind } from "../kinds.js";
import { changeDirectory, dirKind, saveKind } from "../specialKinds.js";
import { validateAofDirname, validateAofFilename, validateDbFilename } from "../validators.js";

/** Snapshots (RDB) and the append-only file (persistence owner). */
export const PERSISTENCE_OPTIONS: readonly ConfigOption[] = [
  option("dir", dirKind, ".", { protected: true, effect: changeDirectory }),
  option("save", saveKind, "3600 1 300 100 60 10000", { multiArg: true }),
  option("stop-writes-on-bgsave-error", boolKind(), "yes"),
  option("rdbcompression", boolKind(), "yes"),
  option("rdbchecksum", boolKind(), "yes", { mutable: false }),
  option("rdb-del-sync-files", boolKind(), "no"),
  option("rdb-save-incremental-fsync", boolKind(), "yes"),
  option("dbfilename", stringKind({ validate: validateDbFilename }), "dump.rdb", { protected: true }),
  option("appendonly", boolKind(), "no"),
  option("appendfilename", stringKind({ validate: validateAofFilename }), "appendonly.aof", { mutable: false }),
  option("appenddirname", stringKind({ validate: validateAofDirname }), "appendonlydir", { mutable: false }),
  option("appendfsync", enumKind(["everysec", "always", "no"] as const), "everysec"),
  option("no-appendfsync-on-rewrite", boolKind(), "no"),
  option("auto-aof-rewrite-percentage", intKind(0n, INT_MAX), "100"),
  option("auto-aof-rewrite-min-size", numericKind({ min: 0n, max: LLONG_MAX, memory: true }), "67108864"),
  option("aof-load-truncated", boolKind(), "yes"),
  option("aof-use-rdb-preamble", boolKind(), "yes"),
  option("aof-rewrite-incremental-fsync", boolKind(), "yes"),
  // Timestamp annotations are not written: refused rather than silently ignored.
  option(
    "aof-timestamp-enabled",
    boolKind((v) => (v ? "aof-timestamp-enabled yes is not supported by nedis" : null)),
    "no",
  ),
  option("aof-disable-auto-gc", boolKind(), "no"),
];
