import { describe, expect, it } from "vitest";
import {
  decodeResp,
  ProtocolError,
  RespAttributed,
  RespDecoder,
  type RespDecoderOptions,
  RespError,
  RespPush,
  RespVerbatim,
} from "../src/index.js";

const decode = (text: string, options?: RespDecoderOptions) => decodeResp(Buffer.from(text, "latin1"), options);

describe("RespDecoder: every RESP2 and RESP3 type", () => {
  const cases: [string, string, unknown][] = [
    ["simple string", "+OK\r\n", "OK"],
    ["error", "-WRONGTYPE Operation against a key\r\n", new RespError("WRONGTYPE Operation against a key")],
    ["integer", ":-42\r\n", -42],
    ["integer with +", ":+7\r\n", 7],
    ["bulk string (binary safe)", "$5\r\na\r\nbc\r\n", "a\r\nbc"],
    ["empty bulk string", "$0\r\n\r\n", ""],
    ["null bulk", "$-1\r\n", null],
    ["null array", "*-1\r\n", null],
    ["array", "*3\r\n:1\r\n$1\r\nx\r\n*0\r\n", [1, "x", []]],
    ["RESP3 null", "_\r\n", null],
    ["booleans", "*2\r\n#t\r\n#f\r\n", [true, false]],
    ["doubles", "*5\r\n,1.5\r\n,-2e3\r\n,inf\r\n,-inf\r\n,10\r\n", [1.5, -2000, Infinity, -Infinity, 10]],
    ["nan", ",nan\r\n", NaN],
    ["big number", "(3492890328409238509324850943850943825024385\r\n", 3492890328409238509324850943850943825024385n],
    ["bulk error", "!22\r\nSYNTAX invalid\r\nsyntax\r\n", new RespError("SYNTAX invalid\r\nsyntax")],
    ["verbatim string", "=15\r\ntxt:Some string\r\n", "Some string"],
    [
      "map",
      "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
      new Map<unknown, unknown>([
        ["first", 1],
        ["second", 2],
      ]),
    ],
    ["set", "~3\r\n+a\r\n+b\r\n:1\r\n", new Set(["a", "b", 1])],
    ["push", ">3\r\n+message\r\n+ch\r\n+hi\r\n", new RespPush(["message", "ch", "hi"])],
    ["attribute (discarded by default)", "|1\r\n+ttl\r\n:3600\r\n+value\r\n", "value"],
    ["streamed string", "$?\r\n;4\r\nHell\r\n;6\r\no worl\r\n;1\r\nd\r\n;0\r\n", "Hello world"],
    ["empty streamed string", "$?\r\n;0\r\n", ""],
    ["streamed array", "*?\r\n:1\r\n$?\r\n;1\r\nx\r\n;0\r\n.\r\n", [1, "x"]],
    ["streamed map", "%?\r\n+a\r\n:1\r\n.\r\n", new Map([["a", 1]])],
    ["streamed set", "~?\r\n.\r\n", new Set()],
    [
      "nested aggregates",
      "*2\r\n%1\r\n+k\r\n~1\r\n_\r\n*1\r\n*1\r\n:5\r\n",
      [new Map([["k", new Set([null])]]), [[5]]],
    ],
  ];
  for (const [name, text, value] of cases) {
    it(`decodes ${name}`, () => {
      expect(decode(text)).toEqual([value]);
    });
  }

  it("flags push frames apart from replies in one stream", () => {
    const values = decode(">2\r\n+invalidate\r\n*1\r\n+key\r\n+OK\r\n");
    expect(values[0]).toBeInstanceOf(RespPush);
    expect(values[1]).toBe("OK");
  });

  it("keeps attributes and verbatim formats when asked", () => {
    const options: RespDecoderOptions = { attributes: "wrap", verbatim: "object" };
    expect(decode("|1\r\n+ttl\r\n:3600\r\n=7\r\nmkd:# a\r\n", options)).toEqual([
      new RespAttributed(new Map([["ttl", 3600]]), new RespVerbatim("mkd", "# a")),
    ]);
    // An attribute inside an aggregate applies to the element after it.
    expect(decode("*2\r\n:1\r\n|1\r\n+a\r\n+b\r\n:2\r\n", options)).toEqual([
      [1, new RespAttributed(new Map([["a", "b"]]), 2)],
    ]);
  });

  it("offers Buffers, latin1, objects for maps, arrays for sets and bigint integers", () => {
    expect(decode("*2\r\n$2\r\n\xff\x00\r\n+ok\r\n", { strings: "buffer" })).toEqual([
      [Buffer.from([0xff, 0]), Buffer.from("ok")],
    ]);
    expect(decode("$2\r\n\xc3\xa9\r\n")).toEqual(["é"]);
    expect(decode("$2\r\n\xc3\xa9\r\n", { strings: "latin1" })).toEqual(["\xc3\xa9"]);
    expect(decode("%2\r\n+a\r\n:1\r\n:2\r\n:3\r\n", { maps: "object" })).toEqual([{ a: 1, "2": 3 }]);
    expect(decode("%1\r\n+__proto__\r\n:1\r\n", { maps: "object" })[0]).toHaveProperty("__proto__", 1);
    expect(decode("~2\r\n:1\r\n:2\r\n", { sets: "array" })).toEqual([[1, 2]]);
    expect(decode(":9223372036854775807\r\n", { integers: "bigint" })).toEqual([9223372036854775807n]);
  });

  it("exposes the error code of error replies", () => {
    const [err] = decode("-MOVED 3999 127.0.0.1:6381\r\n");
    expect(err).toBeInstanceOf(RespError);
    expect((err as RespError).code).toBe("MOVED");
  });

  const malformed: [string, string][] = [
    ["unknown type byte", "@x\r\n"],
    ["bulk without CRLF after the payload", "$3\r\nabcd\r\n"],
    ["CR without LF", "+OK\rX\n"],
    ["bad boolean", "#x\r\n"],
    ["bad double", ",1.2.3\r\n"],
    ["bad integer", ":12a\r\n"],
    ["bad big number", "(1e5\r\n"],
    ["negative length", "$-2\r\n"],
    ["null with a payload", "_x\r\n"],
    ["end marker outside a streamed aggregate", ".\r\n"],
    ["end marker inside a counted aggregate", "*2\r\n:1\r\n.\r\n"],
    ["streamed map ending after a key", "%?\r\n+k\r\n.\r\n"],
    ["non-chunk inside a streamed string", "$?\r\n+x\r\n"],
    ["verbatim without a format", "=3\r\nabc\r\n"],
  ];
  for (const [name, text] of malformed) {
    it(`rejects ${name} with a ProtocolError`, () => {
      expect(() => decode(text)).toThrow(ProtocolError);
    });
  }

  it("keeps throwing after a protocol error until reset", () => {
    const d = new RespDecoder();
    d.feed(Buffer.from("+OK\r\n@\r\n"));
    expect(d.next()).toBe("OK");
    expect(() => d.next()).toThrow(ProtocolError);
    expect(() => d.next()).toThrow(ProtocolError);
    d.reset();
    d.feed(Buffer.from(":1\r\n"));
    expect(d.next()).toBe(1);
  });

  it("refuses bulks over maxBulkLength before their bytes arrive", () => {
    const d = new RespDecoder({ maxBulkLength: 10 });
    d.feed(Buffer.from("$11\r\n"));
    expect(() => d.next()).toThrow("invalid bulk length");
  });

  it("holds no more than the incomplete value between chunks", () => {
    const d = new RespDecoder();
    d.feed(Buffer.from("*3\r\n:1\r\n:2\r\n$10\r\nabc"));
    expect(d.next()).toBeUndefined();
    expect(d.bufferedBytes).toBe("$10\r\nabc".length);
    expect(d.hasPartialValue).toBe(true);
    d.feed(Buffer.from("defghij\r\n"));
    expect(d.next()).toEqual([1, 2, "abcdefghij"]);
    expect(d.hasPartialValue).toBe(false);
  });

  it("assembles a 2 MB bulk string from 1 KB chunks", () => {
    const payload = Buffer.alloc(2_000_000, 0x61);
    const stream = Buffer.concat([Buffer.from(`$${payload.length}\r\n`), payload, Buffer.from("\r\n+OK\r\n")]);
    const d = new RespDecoder({ strings: "buffer" });
    const out: unknown[] = [];
    for (let i = 0; i < stream.length; i += 1024) {
      d.feed(stream.subarray(i, i + 1024));
      for (let v = d.next(); v !== undefined; v = d.next()) out.push(v);
    }
    expect(out).toHaveLength(2);
    expect(payload.equals(out[0] as Buffer)).toBe(true);
    expect(out[1]).toEqual(Buffer.from("OK"));
  });

  it("scans a long line arriving byte by byte only once (linear time)", () => {
    const line = Buffer.from(`+${"x".repeat(200_000)}\r\n`);
    const d = new RespDecoder();
    const started = performance.now();
    let got: unknown;
    for (let i = 0; i < line.length; i++) {
      d.feed(line.subarray(i, i + 1));
      got = d.next() ?? got;
    }
    expect(got).toBe("x".repeat(200_000));
    // Quadratic re-scanning would take minutes; linear takes well under a second.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
