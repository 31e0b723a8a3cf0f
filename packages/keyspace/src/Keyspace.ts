import { Database } from "./Database.js";

/** Options of a keyspace; names follow redis.conf. */
export interface KeyspaceOptions {
  /** Number of databases (`databases`), default 16. */
  databases?: number;
}

/** All databases of one server. Knows nothing of networking. */
export class Keyspace {
  readonly databases: Database[];

  constructor(options: KeyspaceOptions = {}) {
    const count = options.databases ?? 16;
    this.databases = [];
    for (let i = 0; i < count; i++) this.databases.push(new Database(i));
  }

  /** Database `index`; the caller has validated the index. */
  db(index: number): Database {
    return this.databases[index]!;
  }

  /** FLUSHALL: empties every database; returns the number of keys removed. */
  flushAll(): number {
    let n = 0;
    for (const db of this.databases) n += db.flush();
    return n;
  }

  /** Total number of keys across databases. */
  get keyCount(): number {
    let n = 0;
    for (const db of this.databases) n += db.size;
    return n;
  }
}
