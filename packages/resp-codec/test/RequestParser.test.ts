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
    expect(whole).toEqual([
      ["SET", "key", "va\r\nl"],
      ["GET", "key"],
      ["GET", ""],
    ]);
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

describe("RequestParser buffering", () => {
  it("keeps every byte when fed twice without draining", () => {
    const p = new RequestParser();
    p.feed(Buffer.from("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1"));
    expect(parseAll(p, ["\r\nk\r\nECHO x\r\n"])).toEqual([["PING"], ["GET", "k"], ["ECHO", "x"]]);
  });

  it("lets the caller reuse its chunk buffer once next() returned false", () => {
    const p = new RequestParser();
    const scratch = Buffer.from("*2\r\n$3\r\nGET\r\n$5\r\nab");
    p.feed(scratch);
    expect(p.next()).toBe(false);
    scratch.fill(0x21); // the socket layer reads the next bytes into the same buffer
    scratch.write("cde\r\n", 0, "latin1");
    p.feed(scratch.subarray(0, 5));
    expect(p.next()).toBe(true);
    expect(p.argString(1)).toBe("abcde");
  });

  it("parses what follows a split command in place, leaving views of it valid", () => {
    const p = new RequestParser();
    p.feed(Buffer.from("*2\r\n$3\r\nSET\r\n$3\r\nke"));
    expect(p.next()).toBe(false);
    const second = Buffer.from("y\r\n*1\r\n$4\r\nPING\r\n");
    p.feed(second);
    expect(p.next()).toBe(true);
    expect([p.argString(0), p.argString(1)]).toEqual(["SET", "key"]);
    expect(p.next()).toBe(true);
    expect(p.buffer).toBe(second); // PING was read from the chunk itself, not copied
    expect(p.next()).toBe(false);
    expect(p.bufferedBytes).toBe(0);
  });

  it("copies arguments into a caller's buffer without allocating", () => {
    const p = new RequestParser();
    p.feed(Buffer.from(`*2\r\n$3\r\nSET\r\n$40\r\n${"v".repeat(40)}\r\n`));
    expect(p.next()).toBe(true);
    const page = new Uint8Array(64);
    expect(p.argCopyTo(0, page, 1)).toBe(3);
    expect(p.argCopyTo(1, page, 10)).toBe(40);
    expect(Buffer.from(page.subarray(1, 4)).toString()).toBe("SET");
    expect(Buffer.from(page.subarray(10, 50)).toString()).toBe("v".repeat(40));
    expect(p.argCopy(1).toString()).toBe("v".repeat(40));
  });

  it("applies a change of authentication from the next command on", () => {
    const p = new RequestParser();
    p.authenticated = false;
    const eleven = encode(Array.from({ length: 11 }, () => "a"));
    p.feed(Buffer.concat([encode(["AUTH", "pw"]), eleven]));
    expect(p.next()).toBe(true);
    p.authenticated = true;
    expect(p.next()).toBe(true);
    expect(p.argc).toBe(11);
  });

  it("never holds more than one unauthenticated command's worth of junk", () => {
    const p = new RequestParser();
    p.authenticated = false;
    let peak = 0;
    try {
      for (let i = 0; i < 2000; i++) {
        p.feed(Buffer.from(`*10\r\n$16384\r\n${"x".repeat(1000)}`));
        while (p.next());
        peak = Math.max(peak, p.retainedBytes);
      }
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
    }
    expect(peak).toBeLessThan(2 * 11 * (16384 + 64 * 1024));
  });

  it("grows the carry only with the bytes of a big bulk that arrived", () => {
    const p = new RequestParser();
    p.feed(Buffer.from(`*2\r\n$3\r\nSET\r\n$${400 * 1024 * 1024}\r\n`));
    p.feed(Buffer.alloc(1000));
    expect(p.next()).toBe(false);
    expect(p.retainedBytes).toBeLessThan(64 * 1024);
  });

  it("drops a big carry once its command is consumed", () => {
    const p = new RequestParser();
    const value = Buffer.alloc(1_000_000, 0x61);
    const stream = Buffer.concat([
      encode(["SET", "k"]).subarray(0, 0),
      Buffer.from(`*2\r\n$3\r\nSET\r\n$${value.length}\r\n`),
      value,
      Buffer.from("\r\n"),
    ]);
    for (let i = 0; i < stream.length; i += 65536) {
      p.feed(stream.subarray(i, i + 65536));
      while (p.next());
    }
    expect(p.retainedBytes).toBeLessThan(300 * 1024);
  });
});

function encode(args: string[]): Buffer {
  return Buffer.from(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`, "latin1");
}
