import type { CachedScript } from "./LuaScripting.js";

/** A byte with A–Z lowercased, as Redis lowercases an EVALSHA argument. */
function lowerAscii(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/**
 * The script EVALSHA named last: a client repeating the same EVALSHA is answered by comparing
 * its 40 bytes, without making a SHA string each time.
 */
export class EvalshaCache {
  private readonly lastShaBytes = new Uint8Array(40);
  private lastScript: CachedScript | undefined;

  constructor(private readonly scripts: ReadonlyMap<string, CachedScript>) {}

  /** The cached script if `buf[off..off+len)` names the last one again (any case). */
  lookup(buf: Uint8Array, off: number, len: number): CachedScript | undefined {
    const last = this.lastScript;
    if (last === undefined || len !== 40) {
      if (len === 40) this.remember(buf, off);
      return undefined;
    }
    const mine = this.lastShaBytes;
    for (let i = 0; i < 40; i++) {
      if (lowerAscii(buf[off + i]!) !== mine[i]) {
        this.remember(buf, off);
        return undefined;
      }
    }
    return this.scripts.get(last.sha) === last ? last : undefined;
  }

  /** SCRIPT FLUSH. */
  forget(): void {
    this.lastScript = undefined;
  }

  private remember(buf: Uint8Array, off: number): void {
    for (let i = 0; i < 40; i++) this.lastShaBytes[i] = lowerAscii(buf[off + i]!);
    this.lastScript = this.scripts.get(Buffer.from(this.lastShaBytes).toString("latin1"));
  }
}
