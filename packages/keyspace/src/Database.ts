/**
 * One numbered database: the keys and their values.
 *
 * First cut of the store behind the keyspace API: keys are binary (latin1) strings in a `Map`,
 * values are Buffers. The kv-pool-backed index replaces this class's internals without changing
 * the methods the server calls, which all take key bytes as views (buffer, offset, length).
 */
export class Database {
  readonly id: number;
  private readonly entries = new Map<string, Uint8Array>();

  constructor(id: number) {
    this.id = id;
  }

  /** Number of keys. */
  get size(): number {
    return this.entries.size;
  }

  /** The string value of a key, or null when the key does not exist. */
  getString(key: Uint8Array, offset: number, length: number): Uint8Array | null {
    return this.entries.get(keyString(key, offset, length)) ?? null;
  }

  /** Sets a key to a string value, copying the bytes (they may point into a read buffer). */
  setString(key: Uint8Array, keyOffset: number, keyLength: number, value: Uint8Array, valueOffset: number, valueLength: number): void {
    const copy = new Uint8Array(valueLength);
    copy.set(value.subarray(valueOffset, valueOffset + valueLength));
    this.entries.set(keyString(key, keyOffset, keyLength), copy);
  }

  /** Removes a key; true when it existed. */
  delete(key: Uint8Array, offset: number, length: number): boolean {
    return this.entries.delete(keyString(key, offset, length));
  }

  exists(key: Uint8Array, offset: number, length: number): boolean {
    return this.entries.has(keyString(key, offset, length));
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.entries.size;
    this.entries.clear();
    return n;
  }
}

function keyString(buf: Uint8Array, offset: number, length: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + offset, length).toString("latin1");
}
