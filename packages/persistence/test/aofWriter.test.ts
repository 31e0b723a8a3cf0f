import fs, { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AofWriter, fsyncDirectory, writeFileDurably } from "../src/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function newDir(): string {
  const d = mkdtempSync(join(tmpdir(), "nedis-aofw-"));
  dirs.push(d);
  return d;
}

describe("AofWriter", () => {
  it("buffers appends until flush, then writes them once; sizes follow", () => {
    const dir = newDir();
    const path = join(dir, "a.incr.aof");
    const w = new AofWriter(path, "always");
    w.append(Buffer.from("hello "), 0, 6);
    w.append(Buffer.from("xworld"), 1, 5);
    expect(readFileSync(path).length).toBe(0);
    expect(w.pending).toBe(11);
    expect(w.flush()).toBe(true);
    expect(readFileSync(path, "latin1")).toBe("hello world");
    expect(w.fileSize).toBe(11);
    expect(w.pending).toBe(0);
    w.close();
  });

  it("grows past its initial buffer and appends to an existing file", () => {
    const dir = newDir();
    const path = join(dir, "a.incr.aof");
    let w = new AofWriter(path, "no");
    const big = Buffer.alloc(200_000, 0x61);
    w.append(big, 0, big.length);
    w.close();
    w = new AofWriter(path, "everysec");
    expect(w.fileSize).toBe(200_000);
    w.append(Buffer.from("b"), 0, 1);
    w.flush();
    w.backgroundFsync();
    w.close();
    expect(readFileSync(path).length).toBe(200_001);
  });

  it("after a short write and an error, the retry appends the rest, not the written part again", () => {
    const dir = newDir();
    const path = join(dir, "a.incr.aof");
    const w = new AofWriter(path, "no");
    const real = fs.writeSync;
    let calls = 0;
    // The disk takes 4 bytes, then is full.
    fs.writeSync = ((fd: number, buffer: Uint8Array, offset: number) => {
      calls++;
      if (calls === 1) return real(fd, buffer, offset, 4);
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    }) as typeof fs.writeSync;
    syncBuiltinESMExports();
    try {
      w.append(Buffer.from("*1\r\n$4\r\nPING\r\n"), 0, 14);
      expect(w.flush()).toBe(false);
      expect(w.lastWriteError?.message).toContain("ENOSPC");
      expect(w.pending).toBe(10);
      expect(w.fileSize).toBe(4);
    } finally {
      fs.writeSync = real;
      syncBuiltinESMExports();
    }
    expect(w.flush()).toBe(true);
    expect(w.lastWriteError).toBeNull();
    w.close();
    expect(readFileSync(path, "latin1")).toBe("*1\r\n$4\r\nPING\r\n");
  });

  it("switchTo continues in a new file, the old one closed with its bytes", () => {
    const dir = newDir();
    const w = new AofWriter(join(dir, "1"), "always");
    w.append(Buffer.from("one"), 0, 3);
    w.switchTo(join(dir, "2"));
    w.append(Buffer.from("two"), 0, 3);
    w.close();
    expect(readFileSync(join(dir, "1"), "latin1")).toBe("one");
    expect(readFileSync(join(dir, "2"), "latin1")).toBe("two");
  });

  it("writeFileDurably replaces a file through a temp name", () => {
    const dir = newDir();
    const path = join(dir, "m");
    writeFileDurably(path, "first");
    writeFileDurably(path, "second");
    expect(readFileSync(path, "latin1")).toBe("second");
    fsyncDirectory(dir);
  });
});
