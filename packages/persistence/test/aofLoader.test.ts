import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AofCommand, AofLoadStatus, loadAofBytes, RespCommandBuffer } from "../src/index.js";

function encode(commands: string[][]): Buffer {
  const out = new RespCommandBuffer(64);
  for (const argv of commands) out.command(argv);
  return Buffer.from(out.bytes.subarray(0, out.length));
}

function load(bytes: Uint8Array, known = (_: string[]) => true) {
  const applied: string[][] = [];
  const logs: string[] = [];
  const result = loadAofBytes(bytes, "appendonly.aof.1.incr.aof", {
    execute(cmd: AofCommand) {
      const argv: string[] = [];
      for (let i = 0; i < cmd.argc; i++) {
        const off = cmd.offsets[i]!;
        argv.push(Buffer.from(cmd.buffer.subarray(off, off + cmd.lengths[i]!)).toString("latin1"));
      }
      if (!known(argv)) return false;
      applied.push(argv);
      return true;
    },
    log: (_level, message) => logs.push(message),
  });
  return { result, applied, logs };
}

describe("AofLoader (loadSingleAppendOnlyFile)", () => {
  const commands = [
    ["SELECT", "0"],
    ["set", "a", "1"],
    ["MULTI"],
    ["incr", "a"],
    ["set", "b", "x\r\ny"],
    ["EXEC"],
    ["del", "a"],
  ];

  it("applies every command, MULTI blocks at their EXEC, binary-safe arguments", () => {
    const bytes = encode(commands);
    const { result, applied } = load(bytes);
    expect(result).toEqual({ status: AofLoadStatus.Ok, validUpTo: bytes.length, commands: 5 });
    expect(applied).toEqual([
      ["SELECT", "0"],
      ["set", "a", "1"],
      ["incr", "a"],
      ["set", "b", "x\r\ny"],
      ["del", "a"],
    ]);
  });

  it("skips # annotations; an empty file is Empty", () => {
    const bytes = Buffer.concat([Buffer.from("#TS:1700000000\r\n"), encode([["set", "a", "1"]])]);
    expect(load(bytes).applied).toEqual([["set", "a", "1"]]);
    expect(load(new Uint8Array(0)).result.status).toBe(AofLoadStatus.Empty);
  });

  it("a file cut anywhere loads the whole commands before the cut, and reports where they end", () => {
    const bytes = encode(commands);
    const ends: number[] = [];
    for (let i = 1; i <= commands.length; i++) ends.push(encode(commands.slice(0, i)).length);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => {
        const { result, applied } = load(bytes.subarray(0, cut));
        if (cut === 0) return result.status === AofLoadStatus.Empty;
        // The last command boundary at or before the cut; an open MULTI is dropped whole.
        let whole = 0;
        while (whole < ends.length && ends[whole]! <= cut) whole++;
        const multiOpen = whole >= 3 && whole < 6;
        const expectedEnd = multiOpen ? ends[1]! : whole === 0 ? 0 : ends[whole - 1]!;
        const atBoundary = ends.includes(cut);
        expect(result.status).toBe(atBoundary && !multiOpen ? AofLoadStatus.Ok : AofLoadStatus.Truncated);
        expect(result.validUpTo).toBe(expectedEnd);
        expect(applied.length).toBe(whole <= 2 ? whole : whole < 6 ? 2 : whole === 6 ? 4 : 5);
        return true;
      }),
    );
  });

  it("a MULTI without EXEC at the end is reverted, with Redis's message", () => {
    const bytes = encode([["set", "a", "1"], ["MULTI"], ["set", "b", "2"]]);
    const { result, applied, logs } = load(bytes);
    expect(result.status).toBe(AofLoadStatus.Truncated);
    expect(result.validUpTo).toBe(encode([["set", "a", "1"]]).length);
    expect(applied).toEqual([["set", "a", "1"]]);
    expect(logs[0]).toBe("Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof");
  });

  it("bad format and unknown commands fail with Redis's messages", () => {
    const bad = Buffer.concat([encode([["set", "a", "1"]]), Buffer.from("+OK\r\n"), encode([["set", "b", "1"]])]);
    const r1 = load(bad);
    expect(r1.result.status).toBe(AofLoadStatus.Failed);
    expect(r1.logs[0]).toMatch(
      /^Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof: make a backup/,
    );
    const r2 = load(encode([["nosuch", "x"]]), (argv) => argv[0] !== "nosuch");
    expect(r2.result.status).toBe(AofLoadStatus.Failed);
    expect(r2.logs[0]).toBe("Unknown command 'nosuch' reading the append only file appendonly.aof.1.incr.aof");
  });

  it("an RDB part needs a loader: refused clearly without one, handed over with one", () => {
    const rdb = Buffer.concat([Buffer.from("REDIS0010"), Buffer.from([0xff]), Buffer.alloc(8)]);
    const bytes = Buffer.concat([rdb, encode([["set", "a", "1"]])]);
    expect(load(bytes).result.status).toBe(AofLoadStatus.Failed);
    let seen = 0;
    const result = loadAofBytes(bytes, "f", {
      execute: () => true,
      loadRdb: (b) => {
        seen = b.length;
        return rdb.length;
      },
      log: () => {},
    });
    expect(seen).toBe(bytes.length);
    expect(result).toEqual({ status: AofLoadStatus.Ok, validUpTo: bytes.length, commands: 1 });
  });
});
