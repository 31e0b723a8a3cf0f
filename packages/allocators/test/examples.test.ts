// The README examples, copied verbatim (minus `export`) so they are known to run.
import { describe, expect, it } from "vitest";
import { ARENA_EXHAUSTED, Arena } from "../src/arena/index.js";
import { FixedPool, isPoolFull, type PoolHandle } from "../src/fixed-pool/index.js";
import { isOutOfMemory, type KvHandle, KvPool } from "../src/kv-pool/index.js";

/** Byte-string LRU cache bounded by a byte budget; values live outside the V8 heap. */
class ByteLru {
  private readonly pool: KvPool;
  /** Key → handle; a Map iterates in insertion order, so the first key is the least recent. */
  private readonly handles = new Map<string, KvHandle>();

  constructor(maxBytes: number) {
    this.pool = new KvPool({ budget: maxBytes });
  }

  /** The value (a view into pool memory, valid until the key is set, deleted or evicted). */
  get(key: string): Uint8Array | undefined {
    const handle = this.handles.get(key);
    if (handle === undefined) return undefined;
    this.handles.delete(key);
    this.handles.set(key, handle);
    return this.pool.view(handle);
  }

  /** Stores a copy of `value`, evicting least recently used keys until it fits. */
  set(key: string, value: Uint8Array): boolean {
    this.delete(key);
    let handle = this.pool.alloc(value.length);
    while (isOutOfMemory(handle)) {
      const oldest = this.handles.keys().next();
      if (oldest.done === true) return false; // bigger than the whole budget
      this.delete(oldest.value);
      handle = this.pool.alloc(value.length);
    }
    this.pool.write(handle, value);
    this.handles.set(key, handle);
    return true;
  }

  delete(key: string): void {
    const handle = this.handles.get(key);
    if (handle === undefined) return;
    this.pool.free(handle);
    this.handles.delete(key);
  }

  get usedBytes(): number {
    return this.pool.usedBytes;
  }
}

/**
 * Splits a byte stream into lines. A line inside one chunk is reported in place; a line that
 * spans chunks is assembled in the arena, because the caller may reuse a chunk's buffer as soon
 * as `push` returns. The arena is emptied between batches with `endBatch`.
 */
class LineSplitter {
  private readonly arena = new Arena({ blockSize: 16 * 1024, maxBytes: 1024 * 1024 });
  private pending: Uint8Array | undefined;
  private pendingStart = 0;
  private pendingLength = 0;

  constructor(private readonly onLine: (bytes: Uint8Array, start: number, end: number) => void) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      if (this.pending === undefined) {
        this.onLine(chunk, start, newline);
      } else {
        this.append(chunk, start, newline);
        this.onLine(this.pending, this.pendingStart, this.pendingStart + this.pendingLength);
        this.pending = undefined;
        this.pendingLength = 0;
      }
      start = newline + 1;
    }
    if (start < chunk.length) this.append(chunk, start, chunk.length);
  }

  /** Call once the lines reported so far are consumed; keeps the arena while a line is pending. */
  endBatch(): void {
    if (this.pending === undefined) this.arena.reset();
  }

  /** Copies the pending part and chunk[start..end) into one arena allocation. */
  private append(chunk: Uint8Array, start: number, end: number): void {
    const length = this.pendingLength + end - start;
    const at = this.arena.alloc(length);
    if (at === ARENA_EXHAUSTED) throw new Error("line longer than the arena's cap");
    const target = this.arena.buffer;
    if (this.pending !== undefined) {
      target.set(this.pending.subarray(this.pendingStart, this.pendingStart + this.pendingLength), at);
    }
    target.set(chunk.subarray(start, end), at + this.pendingLength);
    this.pending = target;
    this.pendingStart = at;
    this.pendingLength = length;
  }
}

interface Session {
  user: string;
  messages: string[];
}

const sessions = new FixedPool<Session>({
  limit: 1000,
  create: () => ({ user: "", messages: [] }),
  reset: (session) => {
    session.user = "";
    session.messages.length = 0;
  },
});

function openSession(user: string): PoolHandle | undefined {
  const handle = sessions.acquire();
  if (isPoolFull(handle)) return undefined; // refuse: at the limit
  sessions.get(handle)!.user = user;
  return handle;
}

function closeSession(handle: PoolHandle): void {
  sessions.release(handle);
}

/** Delivers later; if the session closed meanwhile (even if its slot was reused), drops it. */
function deliverLater(handle: PoolHandle, message: string, delayMs: number): void {
  setTimeout(() => sessions.get(handle)?.messages.push(message), delayMs);
}

/** Lower the cap at run time: open sessions stay, new ones are refused until enough close. */
function setMaxSessions(limit: number): void {
  sessions.setLimit(limit);
}

const text = new TextEncoder();
const bytes = (s: string): Uint8Array => text.encode(s);

describe("README examples", () => {
  it("kv-pool: the LRU cache evicts least recently used values to stay within its budget", () => {
    const cache = new ByteLru(64);
    cache.set("a", bytes("0123456789abcdef"));
    cache.set("b", bytes("0123456789abcdef"));
    cache.set("c", bytes("0123456789abcdef"));
    cache.set("d", bytes("0123456789abcdef"));
    expect(cache.get("a")).toBeDefined(); // a becomes most recent; b is now the oldest
    expect(cache.set("e", bytes("x"))).toBe(true);
    expect(cache.get("b")).toBeUndefined();
    expect(new TextDecoder().decode(cache.get("a"))).toBe("0123456789abcdef");
    expect(cache.usedBytes).toBe(64);
    expect(cache.set("huge", new Uint8Array(100))).toBe(false);
  });

  it("arena: the line splitter reassembles lines that span chunks", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((b, start, end) => lines.push(new TextDecoder().decode(b.subarray(start, end))));
    const reused = new Uint8Array(8);
    for (const part of ["hel", "lo\nwor", "ld and", " more\nx\n"]) {
      reused.fill(0);
      const chunk = reused.subarray(0, part.length);
      chunk.set(bytes(part));
      splitter.push(chunk);
    }
    splitter.endBatch();
    expect(lines).toEqual(["hello", "world and more", "x"]);
  });

  it("fixed-pool: sessions are capped and late deliveries never reach a reused slot", async () => {
    const first = openSession("alice")!;
    deliverLater(first, "for alice", 5);
    closeSession(first);
    const second = openSession("bob")!;
    expect(sessions.indexOf(second)).toBe(0); // the same slot as alice's session
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sessions.get(second)!.messages).toEqual([]);
    setMaxSessions(1);
    expect(openSession("carol")).toBeUndefined();
    closeSession(second);
    expect(openSession("carol")).toBeDefined();
  });
});
