import { describe, expect, it } from "vitest";
import { ProtocolError, RequestParser } from "../src/index.js";

function parseAll(parser: RequestParser, chunks: (string | Uint8Array)[]): string[][] {
  const out: string[][] = [];
  for (const chunk of chunks) {
    parser.feed(typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk);
    while (parser.next()) {
      const args: string[] = [];
      for (let i = 0; i < parser.argc; i++) args.push(parser.argString(i));
      out.push(args);
    }
  }
  return out;
}

describe("RequestParser", () => {
  it("parses pipelined multibulk commands from one chunk", () => {
    const p = new RequestParser();
    expect(parseAll(p, ["*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$2\r\nbc\r\n"])).toEqual([
      ["PING"],
      ["SET", "a", "bc"],
    ]);
  });

  it("gives the same commands for every split point", () => {
    const stream = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\nGET key\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n";
    const whole = parseAll(new RequestParser(), [stream]);
    expect(whole).toEqual([["SET", "key", "va\r\nl"], ["GET", "key"], ["GET", ""]]);
    for (let i = 1; i < stream.length; i++) {
      for (let j = i; j < stream.length; j++) {
        const p = new RequestParser();
        expect(parseAll(p, [stream.slice(0, i), stream.slice(i, j), stream.slice(j)])).toEqual(whole);
      }
    }
  });

  it("splits inline commands like sdssplitargs", () => {
    const p = new RequestParser();
    expect(parseAll(p, ['set "a b" \'c\\\'d\' "\\x41\\n"\r\n', "\r\n", "  ping  \n"])).toEqual([
      ["set", "a b", "c'd", "A\n"],
      ["ping"],
    ]);
  });

  it("skips empty multibulk commands", () => {
    expect(parseAll(new RequestParser(), ["*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n"])).toEqual([["PING"]]);
  });

  it("compares arguments case-insensitively without strings", () => {
    const p = new RequestParser();
    p.feed(Buffer.from("*2\r\n$3\r\nGeT\r\n$1\r\nx\r\n"));
    expect(p.next()).toBe(true);
    expect(p.argEquals(0, "get")).toBe(true);
    expect(p.argEquals(0, "set")).toBe(false);
    expect(p.argEquals(1, "get")).toBe(false);
  });

  const errors: [string, string][] = [
    ["*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length"],
    ["*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length"],
    ["*x\r\n", "ERR Protocol error: invalid multibulk length"],
    ["*3000000000\r\n", "ERR Protocol error: invalid multibulk length"],
    ["*1\r\n+foo\r\n", "ERR Protocol error: expected '$', got '+'"],
    ['set "a\r\n', "ERR Protocol error: unbalanced quotes in request"],
    ['"a"b\r\n', "ERR Protocol error: unbalanced quotes in request"],
  ];
  for (const [input, message] of errors) {
    it(`rejects ${JSON.stringify(input)} with ${message}`, () => {
      const p = new RequestParser();
      p.feed(Buffer.from(input));
      expect(() => p.next()).toThrow(ProtocolError);
      p.reset();
      p.feed(Buffer.from(input));
      expect(() => p.next()).toThrow(message);
    });
  }

  it("limits lines without a newline to 64 KB", () => {
    const p = new RequestParser();
    p.feed(Buffer.alloc(70_000, 0x61));
    expect(() => p.next()).toThrow("ERR Protocol error: too big inline request");
    const q = new RequestParser();
    q.feed(Buffer.from("*" + "1".repeat(70_000)));
    expect(() => q.next()).toThrow("ERR Protocol error: too big mbulk count string");
  });

  it("applies the unauthenticated limits", () => {
    const p = new RequestParser();
    p.authenticated = false;
    p.feed(Buffer.from("*11\r\n"));
    expect(() => p.next()).toThrow("ERR Protocol error: unauthenticated multibulk length");
    const q = new RequestParser();
    q.authenticated = false;
    q.feed(Buffer.from("*1\r\n$16385\r\n"));
    expect(() => q.next()).toThrow("ERR Protocol error: unauthenticated bulk length");
  });

  it("assembles a large bulk sent in many small chunks", () => {
    const value = Buffer.alloc(1_000_000, 0x78);
    const stream = Buffer.concat([Buffer.from(`*2\r\n$3\r\nset\r\n$${value.length}\r\n`), value, Buffer.from("\r\n")]);
    const p = new RequestParser();
    let got = 0;
    for (let i = 0; i < stream.length; i += 1000) {
      p.feed(stream.subarray(i, i + 1000));
      while (p.next()) {
        got++;
        expect(p.lengths[1]).toBe(value.length);
        expect(Buffer.compare(p.argView(1), value)).toBe(0);
      }
    }
    expect(got).toBe(1);
    expect(p.bufferedBytes).toBe(0);
  });
});
