import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RequestParser } from "../src/index.js";

// A server reading every socket into one buffer (Node's `onread` option): the parser sees
// `buffer[0, n)` and must never read bytes of an earlier read from it afterwards.

function encode(args: string[]): Buffer {
  return Buffer.from(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`, "latin1");
}

function drain(parser: RequestParser, out: string[][]): void {
  while (parser.next()) {
    const args: string[] = [];
    for (let i = 0; i < parser.argc; i++) args.push(parser.argString(i));
    out.push(args);
  }
}

describe("RequestParser over one shared read buffer", () => {
  it("parses only buffer[0, length) of a fed chunk", () => {
    const shared = Buffer.alloc(64, 0x2a);
    const p = new RequestParser();
    const n = encode(["PING"]).copy(shared);
    p.feed(shared, n);
    const out: string[][] = [];
    drain(p, out);
    expect(out).toEqual([["PING"]]);
    expect(p.bufferedBytes).toBe(0);
  });

  it("keeps a split command intact when the next read overwrites the buffer", () => {
    const shared = Buffer.alloc(32);
    const p = new RequestParser();
    const bytes = encode(["SET", "key", "a-value-longer-than-one-read"]);
    const out: string[][] = [];
    for (let at = 0; at < bytes.length; at += 7) {
      shared.fill(0x21);
      const n = bytes.copy(shared, 0, at, Math.min(at + 7, bytes.length));
      p.feed(shared, n);
      drain(p, out);
    }
    expect(out).toEqual([["SET", "key", "a-value-longer-than-one-read"]]);
  });

  it("ownInput keeps the current command and the rest valid while the buffer is reused", () => {
    const shared = Buffer.alloc(256);
    const p = new RequestParser();
    const n = Buffer.concat([
      encode(["CLIENT", "PAUSE"]),
      encode(["SET", "k", "v"]),
      encode(["GET", "k"]),
      encode(["GE"]).subarray(0, 5),
    ]).copy(shared);
    p.feed(shared, n);
    expect(p.next()).toBe(true);
    expect(p.next()).toBe(true); // SET: the server postpones it here and stops reading
    p.ownInput();
    shared.fill(0x21);
    expect([p.argString(0), p.argString(1), p.argString(2)]).toEqual(["SET", "k", "v"]);
    const out: string[][] = [];
    drain(p, out);
    expect(out).toEqual([["GET", "k"]]);
    const rest = encode(["GET"]).subarray(5);
    p.feed(Buffer.concat([rest, encode(["PING"])]));
    drain(p, out);
    expect(out).toEqual([["GET", "k"], ["GET"], ["PING"]]);
  });

  it("parses any pipeline the same whatever the read sizes (property)", () => {
    const arg = fc.string({ unit: "binary-ascii", maxLength: 40 });
    fc.assert(
      fc.property(
        fc.array(fc.array(arg, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        (commands, sizes, owns) => {
          const bytes = Buffer.concat(commands.map(encode));
          const shared = Buffer.alloc(64);
          const p = new RequestParser();
          const out: string[][] = [];
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            shared.fill(0x2b);
            const n = bytes.copy(shared, 0, at, Math.min(at + sizes[i % sizes.length]!, bytes.length));
            at += n;
            p.feed(shared, n);
            // Sometimes stop after one command, as a postponing server would, and read again later.
            if (owns[i % Math.max(owns.length, 1)] === true && p.next()) {
              const args: string[] = [];
              for (let j = 0; j < p.argc; j++) args.push(p.argString(j));
              p.ownInput();
              shared.fill(0x2d);
              out.push(args);
            }
            drain(p, out);
          }
          expect(out).toEqual(commands);
        },
      ),
      { numRuns: 500 },
    );
  });
});
