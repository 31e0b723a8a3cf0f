import type { Keyspace } from "@nedis/keyspace";
import { CommandLookahead, type RequestParser } from "@nedis/resp-codec";
import type { CommandTable } from "../commands/CommandTable.js";

/** Keys warmed per read at most (a pipeline of 16 MSETs of 10 keys fills it). */
const MAX_KEYS = 64;
/**
 * Below this many keys in the client's database the index and entries sit in the CPU caches
 * anyway, and looking ahead would only add work.
 */
const MIN_KEYS_IN_DB = 32_768;

/**
 * Before a read's pipelined commands run, finds their keys (by the command table's first/last
 * key and step, like Redis's legacy key range) and has the keyspace load the index records and
 * entries of all of them at once. A lookup in a big keyspace is two cache misses (the index
 * record, then the entry); one after another they are ~40% of a cheap command's CPU. Issued
 * together, sixteen commands' misses overlap. The hashes are kept for the lookups themselves.
 */
export class BatchPrefetch {
  private readonly ahead = new CommandLookahead(MAX_KEYS, 256);
  private readonly keyOffsets = new Int32Array(MAX_KEYS);
  private readonly keyLengths = new Int32Array(MAX_KEYS);

  constructor(
    private readonly commands: CommandTable,
    private readonly keyspace: Keyspace,
  ) {}

  /** Warms the keys of the commands `parser` holds, for a client in database `db`. */
  start(parser: RequestParser, db: number): void {
    if (this.keyspace.db(db).size < MIN_KEYS_IN_DB) return;
    const ahead = this.ahead;
    const n = parser.lookahead(ahead);
    // One command has nothing to overlap with.
    if (n < 2) return;
    const offsets = ahead.offsets;
    const lengths = ahead.lengths;
    let keys = 0;
    for (let c = 0; c < n && keys < MAX_KEYS; c++) {
      const first = ahead.firstArg[c]!;
      const argc = ahead.argc[c]!;
      const spec = this.commands.lookupName(ahead.buffer, offsets[first]!, lengths[first]!);
      if (spec === undefined || spec.firstKey <= 0 || spec.keyStep <= 0) continue;
      const last = spec.lastKey < 0 ? argc + spec.lastKey : Math.min(spec.lastKey, argc - 1);
      for (let i = spec.firstKey; i <= last && keys < MAX_KEYS; i += spec.keyStep) {
        this.keyOffsets[keys] = offsets[first + i]!;
        this.keyLengths[keys] = lengths[first + i]!;
        keys++;
      }
    }
    if (keys >= 2) this.keyspace.prefetchKeys(db, ahead.buffer, this.keyOffsets, this.keyLengths, keys);
  }

  /** The read's commands ran: the read buffer may change from now on. */
  end(): void {
    this.keyspace.endPrefetch();
  }
}
