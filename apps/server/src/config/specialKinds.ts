import { resolve } from "node:path";
import {
  INVALID_KEYSPACE_EVENTS_MESSAGE,
  keyspaceEventsFlagsToString,
  keyspaceEventsStringToFlags,
} from "@nedis/pubsub";
import { type ConfigKind, fail, ok, type RewriteLine } from "./ConfigOption.js";
import { formatMemoryForRewrite, formatPercentile, memtoull, string2d, strtollWhole } from "./numbers.js";
import { quoteRepr } from "./repr.js";

/**
 * The options Redis declares with `createSpecialConfig`: each has its own syntax, value shape
 * and rewrite rule.
 */

/** One `save <seconds> <changes>` rule. */
export interface SaveParam {
  seconds: number;
  changes: number;
}

/**
 * `save <seconds> <changes> [...]`, or `save ""` for no snapshots. In a config file the lines add
 * up (the first one replaces the default); CONFIG SET replaces the whole list.
 */
export const saveKind: ConfigKind<SaveParam[]> = {
  parse(words, { current, appending }) {
    if (words.length === 1 && words[0] === "") return ok([]);
    if (words.length % 2 !== 0) return fail("Invalid save parameters");
    const params: SaveParam[] = appending ? [...current] : [];
    for (let j = 0; j < words.length; j += 2) {
      const seconds = strtollWhole(words[j]!);
      const changes = strtollWhole(words[j + 1]!);
      if (seconds === null || seconds < 1 || changes === null || changes < 0) return fail("Invalid save parameters");
      params.push({ seconds, changes });
    }
    return ok(params);
  },
  format: (v) => v.map((p) => `${p.seconds} ${p.changes}`).join(" "),
  rewrite(name, v) {
    if (v.length === 0) return [{ line: `${name} ""`, force: true }];
    return v.map((p) => ({ line: `${name} ${p.seconds} ${p.changes}`, force: true }));
  },
};

/** `bind <addr> [...]`: up to 16 addresses, `-` marks one that may be unavailable. */
export const bindKind: ConfigKind<string[]> = {
  parse(words) {
    if (words.length > 16) return fail("Too many bind addresses specified.");
    return ok(words.length === 1 && words[0] === "" ? [] : [...words]);
  },
  format: (v) => v.join(" "),
  rewrite(name, v, defaults) {
    // Like Redis: the default bind is left out of the file (nedis's default is the loopback one).
    if (v.length === defaults.length && v.every((a, i) => a === defaults[i])) return [];
    return [{ line: `${name} ${v.length > 0 ? v.join(" ") : '""'}`, force: true }];
  },
};

/** Limits of one client class: disconnect past `hard` bytes, or past `soft` for `seconds`. */
export interface OutputBufferLimit {
  hard: number;
  soft: number;
  seconds: number;
}

/** `client-output-buffer-limit` per class (Redis's `normal`, `slave`/`replica`, `pubsub`). */
export interface OutputBufferLimits {
  normal: OutputBufferLimit;
  replica: OutputBufferLimit;
  pubsub: OutputBufferLimit;
}

const OBUF_CLASSES = ["normal", "replica", "pubsub"] as const;
const OBUF_CLASS_BY_NAME: Record<string, keyof OutputBufferLimits> = {
  normal: "normal",
  slave: "replica",
  replica: "replica",
  pubsub: "pubsub",
};

/** The defaults, kept to decide which class lines CONFIG REWRITE must write. */
export const DEFAULT_OUTPUT_BUFFER_LIMITS = "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60";

/** `client-output-buffer-limit <class> <hard> <soft> <seconds> [...]`: sets only the classes named. */
export const clientOutputBufferLimitKind: ConfigKind<OutputBufferLimits> = {
  parse(words, { current }) {
    if (words.length % 4 !== 0) return fail("Wrong number of arguments in buffer limit configuration.");
    const next = { ...current };
    for (let j = 0; j < words.length; j += 4) {
      const cls = OBUF_CLASS_BY_NAME[words[j]!.toLowerCase()];
      if (cls === undefined) return fail("Invalid client class specified in buffer limit configuration.");
      const hard = memtoull(words[j + 1]!);
      const soft = memtoull(words[j + 2]!);
      const seconds = strtollWhole(words[j + 3]!);
      if (hard === null || soft === null || seconds === null || seconds < 0) {
        return fail("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
      }
      next[cls] = { hard: Number(hard), soft: Number(soft), seconds };
    }
    return ok(next);
  },
  format: (v) =>
    OBUF_CLASSES.map((c) => `${c === "replica" ? "slave" : c} ${v[c].hard} ${v[c].soft} ${v[c].seconds}`).join(" "),
  rewrite(name, v, d) {
    return OBUF_CLASSES.map((c) => ({
      line: `${name} ${c} ${formatMemoryForRewrite(v[c].hard)} ${formatMemoryForRewrite(v[c].soft)} ${v[c].seconds}`,
      force: v[c].hard !== d[c].hard || v[c].soft !== d[c].soft || v[c].seconds !== d[c].seconds,
    }));
  },
};

/** `oom-score-adj-values <primary> <replica> <bgchild>`: three values in -2000..2000. */
export const oomScoreAdjValuesKind: ConfigKind<number[]> = {
  parse(words) {
    if (words.length !== 3) return fail("wrong number of arguments");
    const values: number[] = [];
    for (const word of words) {
      const n = strtollWhole(word);
      if (n === null || n < -2000 || n > 2000)
        return fail("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
      values.push(n);
    }
    return ok(values);
  },
  format: (v) => v.join(" "),
  rewrite: (name, v, d) => [{ line: `${name} ${v.join(" ")}`, force: v.some((n, i) => n !== d[i]) }],
};

/**
 * `notify-keyspace-events <classes>`: stored as Redis's flag bits (`@nedis/pubsub`'s
 * `NOTIFY_*`), printed canonically (`KEA` reads back as `AKE`).
 */
export const notifyKeyspaceEventsKind: ConfigKind<number> = {
  parse([word]) {
    const flags = keyspaceEventsStringToFlags(word!);
    return flags === -1 ? fail(INVALID_KEYSPACE_EVENTS_MESSAGE) : ok(flags);
  },
  format: (v) => keyspaceEventsFlagsToString(v),
  rewrite: (name, v) => [{ line: `${name} ${quoteRepr(keyspaceEventsFlagsToString(v))}`, force: v !== 0 }],
};

/** The primary this server replicates from; null for a primary (`replicaof no one`). */
export interface ReplicaOf {
  host: string;
  port: number;
}

/** `replicaof <host> <port>` / `replicaof no one`. */
export const replicaOfKind: ConfigKind<ReplicaOf | null> = {
  parse(words) {
    if (words.length !== 2) return fail("wrong number of arguments");
    if (words[0]!.toLowerCase() === "no" && words[1]!.toLowerCase() === "one") return ok(null);
    const port = strtollWhole(words[1]!);
    if (port === null || port < 0 || port > 65535) return fail("Invalid master port");
    return ok({ host: words[0]!, port });
  },
  format: (v) => (v === null ? "" : `${v.host} ${v.port}`),
  rewrite: (name, v) => (v === null ? [] : [{ line: `${name} ${v.host} ${v.port}`, force: true }]),
};

/** `latency-tracking-info-percentiles <p> [...]`: doubles in 0..100, or `""` for none. */
export const latencyPercentilesKind: ConfigKind<number[]> = {
  parse(words) {
    if (words.length === 1 && words[0] === "") return ok([]);
    const values: number[] = [];
    for (const word of words) {
      const p = string2d(word);
      if (p === null) return fail("Invalid latency-tracking-info-percentiles parameters");
      if (p > 100 || p < 0) return fail("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
      values.push(p);
    }
    return ok(values);
  },
  format: (v) => v.map(formatPercentile).join(" "),
  rewrite: (name, v): RewriteLine[] => [
    { line: `${name} ${v.length > 0 ? v.map(formatPercentile).join(" ") : '""'}`, force: true },
  ],
};

/** Config values are binary strings (one char per byte); file system paths are UTF-8 text. */
const latin1ToPath = (bytes: string): string => Buffer.from(bytes, "latin1").toString("utf8");
const pathToLatin1 = (path: string): string => Buffer.from(path, "utf8").toString("latin1");

/**
 * `dir <path>`: the working directory, where RDB and AOF files go. The value is the path as
 * resolved when set; the option's effect changes the process's working directory, and CONFIG
 * GET / REWRITE print `process.cwd()`, as Redis prints `getcwd()`.
 */
export const dirKind: ConfigKind<string> = {
  parse: ([word]) => ok(word === "" ? "" : pathToLatin1(resolve(latin1ToPath(word!)))),
  format: () => pathToLatin1(process.cwd()),
  rewrite: (name) => [{ line: `${name} ${quoteRepr(pathToLatin1(process.cwd()))}`, force: true }],
};

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "No such file or directory",
  ENOTDIR: "Not a directory",
  EACCES: "Permission denied",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EPERM: "Operation not permitted",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
  EIO: "Input/output error",
  EISDIR: "Is a directory",
  EEXIST: "File exists",
};

/** C's `strerror` for a Node.js system error. */
export function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined && ERRNO_TEXT[code]) || (err as Error).message;
}

/** `dir`'s effect: `chdir`, failing with the system's reason. */
export function changeDirectory(path: string): string | null {
  try {
    process.chdir(latin1ToPath(path));
    return null;
  } catch (err) {
    return strerror(err);
  }
}
