import { describe, expect, it } from "vitest";
import {
  AofManifestError,
  baseFileName,
  emptyManifest,
  formatManifest,
  incrFileName,
  manifestName,
  parseManifest,
} from "../src/index.js";

describe("AofManifest (Redis 7.0 aof.c)", () => {
  it("names files as Redis does", () => {
    expect(manifestName("appendonly.aof")).toBe("appendonly.aof.manifest");
    expect(baseFileName("appendonly.aof", 1, true)).toBe("appendonly.aof.1.base.rdb");
    expect(baseFileName("appendonly.aof", 3, false)).toBe("appendonly.aof.3.base.aof");
    expect(incrFileName("appendonly.aof", 2)).toBe("appendonly.aof.2.incr.aof");
  });

  it("reads Redis's manifest and writes it back byte for byte", () => {
    const text =
      "file appendonly.aof.2.base.rdb seq 2 type b\n" +
      "file appendonly.aof.1.base.rdb seq 1 type h\n" +
      "file appendonly.aof.2.incr.aof seq 2 type i\n" +
      "file appendonly.aof.3.incr.aof seq 3 type i\n";
    const m = parseManifest(text);
    expect(m.base).toEqual({ name: "appendonly.aof.2.base.rdb", seq: 2, type: "b" });
    expect(m.history.map((f) => f.name)).toEqual(["appendonly.aof.1.base.rdb"]);
    expect(m.incr.map((f) => f.seq)).toEqual([2, 3]);
    expect(m.baseSeq).toBe(2);
    expect(m.incrSeq).toBe(3);
    expect(formatManifest(m)).toBe(text);
  });

  it("skips comments, accepts keys in any order and case, quotes odd names", () => {
    const m = parseManifest('# note\ntype b SEQ 1 File "my file.aof"\n');
    expect(m.base).toEqual({ name: "my file.aof", seq: 1, type: "b" });
    expect(formatManifest(m)).toBe('file "my file.aof" seq 1 type b\n');
    expect(formatManifest(emptyManifest())).toBe("");
  });

  it.each([
    ["", "Found an empty AOF manifest"],
    ["file a seq 1\n", "Invalid AOF manifest file format"],
    ["file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information"],
    ["file a seq 2 type i\nfile b seq 1 type i\n", "Found a non-monotonic sequence number"],
    ["file a seq 1 type x\n", "Unknown AOF file type"],
    ["file dir/a seq 1 type i\n", "File can't be a path, just a filename"],
    ["file a seq 0 type i\n", "Invalid AOF manifest file format"],
  ])("refuses %j with Redis's message", (text, message) => {
    expect(() => parseManifest(text)).toThrow(AofManifestError);
    expect(() => parseManifest(text)).toThrow(message);
  });
});
