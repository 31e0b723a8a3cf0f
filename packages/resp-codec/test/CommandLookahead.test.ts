import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CommandLookahead, RequestParser } from "../src/index.js";

function encode(args: string[]): Buffer {
  return Buffer.from(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`, "latin1");
}

function seen(ahead: CommandLookahead): string[][] {
  const out: string[][] = [];
  for (let c = 0; c < ahead.count; c++) {
    const args: string[] = [];
    for (let i = 0; i < ahead.argc[c]!; i++) {
      const at = ahead.firstArg[c]! + i;
      args.push(
        Buffer.from(ahead.buffer.subarray(ahead.offsets[at]!, ahead.offsets[at]! + ahead.lengths[at]!)).toString(
          "latin1",
        ),
      );
    }
    out.push(args);
  }
  return out;
}

function parsed(parser: RequestParser): string[][] {
  const out: string[][] = [];
  while (parser.next()) {
    const args: string[] = [];
    for (let i = 0; i < parser.argc; i++) args.push(parser.argString(i));
    out.push(args);
  }
  return out;
}

describe("RequestParser.lookahead", () => {
  it("reads the buffered commands without consuming them", () => {
    const p = new RequestParser();
    p.feed(Buffer.concat([encode(["SET", "a", "1"]), encode(["GET", "a"]), encode(["MSET", "b", "2", "c", "3"])]));
    const ahead = new CommandLookahead();
    expect(p.lookahead(ahead)).toBe(3);
    expect(seen(ahead)).toEqual([
      ["SET", "a", "1"],
      ["GET", "a"],
      ["MSET", "b", "2", "c", "3"],
    ]);
    expect(parsed(p)).toEqual([
      ["SET", "a", "1"],
      ["GET", "a"],
      ["MSET", "b", "2", "c", "3"],
    ]);
  });

  it("starts after the command next() returned last", () => {
    const p = new RequestParser();
    p.feed(Buffer.concat([encode(["GET", "a"]), encode(["GET", "b"]), encode(["GET", "c"])]));
    expect(p.next()).toBe(true);
    const ahead = new CommandLookahead();
    expect(p.lookahead(ahead)).toBe(2);
    expect(seen(ahead)).toEqual([
      ["GET", "b"],
      ["GET", "c"],
    ]);
  });

  it("stops at an incomplete, inline or malformed command and never throws", () => {
    const ahead = new CommandLookahead();
    const cases: [Buffer, number][] = [
      [Buffer.concat([encode(["GET", "a"]), encode(["GET", "b"]).subarray(0, 9)]), 1],
      [Buffer.concat([encode(["GET", "a"]), Buffer.from("PING\r\n"), encode(["GET", "b"])]), 1],
      [Buffer.concat([encode(["GET", "a"]), Buffer.from("*2\r\n$x\r\n")]), 1],
      [Buffer.concat([encode(["GET", "a"]), Buffer.from("*0\r\n"), encode(["GET", "b"])]), 1],
      [Buffer.concat([encode(["GET", "a"]), Buffer.from("*1\r\n$99999999999\r\n")]), 1],
      [Buffer.from("*-1\r\n"), 0],
    ];
    for (const [bytes, count] of cases) {
      const p = new RequestParser();
      p.feed(bytes);
      expect(p.lookahead(ahead)).toBe(count);
    }
  });

  it("stops when the commands or arguments it can hold run out", () => {
    const p = new RequestParser();
    p.feed(
      Buffer.concat([
        encode(["GET", "a"]),
        encode(["GET", "b"]),
        encode(["GET", "c"]),
        encode(["MGET", "x", "y", "z"]),
      ]),
    );
    expect(p.lookahead(new CommandLookahead(2, 16))).toBe(2);
    expect(p.lookahead(new CommandLookahead(8, 7))).toBe(3);
  });

  it("finds nothing while a command is split across reads", () => {
    const p = new RequestParser();
    const bytes = Buffer.concat([encode(["SET", "k", "a-long-value"]), encode(["GET", "k"])]);
    p.feed(bytes.subarray(0, 10));
    expect(p.next()).toBe(false);
    const ahead = new CommandLookahead();
    expect(p.lookahead(ahead)).toBe(0);
    p.feed(bytes.subarray(10));
    expect(parsed(p)).toEqual([
      ["SET", "k", "a-long-value"],
      ["GET", "k"],
    ]);
  });

  it("agrees with next() on a prefix of what next() parses, for any cut of any pipeline", () => {
    const arg = fc.string({ unit: "binary-ascii", maxLength: 12 });
    const command = fc.array(arg, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 12 }), fc.nat(), (commands, cutAt) => {
        const bytes = Buffer.concat(commands.map(encode));
        const cut = cutAt % (bytes.length + 1);
        const p = new RequestParser();
        p.feed(bytes.subarray(0, cut));
        const ahead = new CommandLookahead();
        const n = p.lookahead(ahead);
        const all = parsed(p);
        expect(n).toBeLessThanOrEqual(all.length);
        expect(seen(ahead)).toEqual(all.slice(0, n));
        // Every command wholly inside the cut is found (none of them is unusual).
        expect(n).toBe(Math.min(all.length, 64));
      }),
      { numRuns: 500 },
    );
  });
});
