import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeResp, ReplyWriter, SharedReplies } from "../src/index.js";

function written(protocol: 2 | 3, write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter(8);
  w.protocol = protocol;
  write(w);
  return w.take().toString("latin1");
}

describe("ReplyWriter", () => {
  const both: [string, (w: ReplyWriter) => void, string, string][] = [
    ["simple", (w) => w.simple("OK"), "+OK\r\n", "+OK\r\n"],
    ["error", (w) => w.error("ERR no"), "-ERR no\r\n", "-ERR no\r\n"],
    [
      "error quoting CR/LF",
      (w) => w.error("ERR Unsupported option a\r\nb"),
      "-ERR Unsupported option a  b\r\n",
      "-ERR Unsupported option a  b\r\n",
    ],
    [
      "integers",
      (w) => [0, 7, 42, -1, 123456, 2 ** 31, -(2 ** 53 - 1)].forEach((n) => w.integer(n)),
      ":0\r\n:7\r\n:42\r\n:-1\r\n:123456\r\n:2147483648\r\n:-9007199254740991\r\n",
      "",
    ],
    ["big integer", (w) => w.bigInteger(-(2n ** 63n)), ":-9223372036854775808\r\n", ""],
    ["bulk from bytes", (w) => w.bulk(Buffer.from("xhello-worldx"), 1, 12), "$11\r\nhello-world\r\n", ""],
    ["long bulk", (w) => w.bulk(Buffer.alloc(40, 0x61)), `$40\r\n${"a".repeat(40)}\r\n`, ""],
    ["bulk from latin1", (w) => w.bulkString("\xff\x00"), "$2\r\n\xff\x00\r\n", ""],
    ["bulk from utf8", (w) => w.bulkUtf8("é"), "$2\r\n\xc3\xa9\r\n", ""],
    ["null bulk", (w) => w.nullBulk(), "$-1\r\n", "_\r\n"],
    ["null array", (w) => w.nullArray(), "*-1\r\n", "_\r\n"],
    ["array header", (w) => w.arrayHeader(12345), "*12345\r\n", ""],
    [
      "map",
      (w) => {
        w.mapHeader(1);
        w.bulkString("k");
        w.integer(1);
      },
      "*2\r\n$1\r\nk\r\n:1\r\n",
      "%1\r\n$1\r\nk\r\n:1\r\n",
    ],
    [
      "set",
      (w) => {
        w.setHeader(1);
        w.bulkString("m");
      },
      "*1\r\n$1\r\nm\r\n",
      "~1\r\n$1\r\nm\r\n",
    ],
    [
      "push",
      (w) => {
        w.pushHeader(1);
        w.bulkString("m");
      },
      "*1\r\n$1\r\nm\r\n",
      ">1\r\n$1\r\nm\r\n",
    ],
    [
      "booleans",
      (w) => {
        w.boolean(true);
        w.boolean(false);
      },
      ":1\r\n:0\r\n",
      "#t\r\n#f\r\n",
    ],
    ["whole double", (w) => w.double(3), "$1\r\n3\r\n", ",3\r\n"],
    ["negative whole double", (w) => w.double(-120), "$4\r\n-120\r\n", ",-120\r\n"],
    ["double", (w) => w.double(1.1), "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"],
    ["infinite double", (w) => w.double(-Infinity), "$4\r\n-inf\r\n", ",-inf\r\n"],
    ["negative zero", (w) => w.double(-0), "$2\r\n-0\r\n", ",-0\r\n"],
    [
      "big number",
      (w) => w.bigNumber(12345678901234567890n),
      "$20\r\n12345678901234567890\r\n",
      "(12345678901234567890\r\n",
    ],
    ["bulk error", (w) => w.bulkError("ERR a\r\nb"), "-ERR a  b\r\n", "!8\r\nERR a\r\nb\r\n"],
    ["verbatim", (w) => w.verbatim("a:b"), "$3\r\na:b\r\n", "=7\r\ntxt:a:b\r\n"],
    ["verbatim markdown", (w) => w.verbatim("# é", "mkd"), "$4\r\n# \xc3\xa9\r\n", "=8\r\nmkd:# \xc3\xa9\r\n"],
    ["shared reply", (w) => w.raw(SharedReplies.ok), "+OK\r\n", "+OK\r\n"],
  ];
  for (const [name, write, resp2, resp3] of both) {
    it(`writes ${name} in RESP2${resp3 === "" ? "" : " and RESP3"}`, () => {
      expect(written(2, write)).toBe(resp2);
      if (resp3 !== "") expect(written(3, write)).toBe(resp3);
    });
  }

  it("writes attributes in RESP3 only", () => {
    expect(written(3, (w) => w.attributeHeader(1))).toBe("|1\r\n");
    expect(() => written(2, (w) => w.attributeHeader(1))).toThrow("RESP3-only");
  });

  it("refuses a fractional integer reply without writing anything", () => {
    const w = new ReplyWriter();
    expect(() => w.integer(1.5)).toThrow(RangeError);
    expect(w.length).toBe(0);
    w.integer(2 ** 60);
    expect(w.take().toString()).toBe(":1152921504606846976\r\n");
  });

  it("writes any integer, length and double so that it decodes back", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.nat({ max: 2 ** 31 - 1 }), fc.double({ noNaN: true }), (n, len, d) => {
        const w = new ReplyWriter(4);
        w.protocol = 3;
        w.integer(n);
        w.arrayHeader(len);
        expect(w.take().toString()).toBe(`:${n}\r\n*${len}\r\n`);
        w.double(d);
        expect(decodeResp(w.take())).toEqual([d]);
      }),
      { numRuns: 2000 },
    );
  });

  it("grows its buffer and hands over large outputs whole", () => {
    const w = new ReplyWriter(16);
    for (let i = 0; i < 2000; i++) w.bulkString("value");
    const out = w.take();
    expect(out.length).toBe(2000 * 11);
    expect(decodeResp(out)).toHaveLength(2000);
    expect(w.length).toBe(0);
    w.simple("OK");
    expect(w.take().toString()).toBe("+OK\r\n");
    expect(out.subarray(0, 11).toString()).toBe("$5\r\nvalue\r\n"); // not overwritten
  });

  it("lends its own buffer through peek and reuses it once the output was consumed", () => {
    const w = new ReplyWriter(64);
    w.simple("OK");
    const first = w.peek();
    expect(first.toString()).toBe("+OK\r\n");
    expect(first.buffer).toBe(w.buffer.buffer); // a view, not a copy
    w.consumed(false);
    expect(w.length).toBe(0);
    w.integer(7);
    expect(w.peek().toString()).toBe(":7\r\n");
    expect(w.peek().buffer).toBe(first.buffer); // same memory again
  });

  it("moves to a new buffer when the consumer keeps the peeked output", () => {
    const w = new ReplyWriter(64);
    w.simple("PONG");
    const kept = w.peek();
    w.consumed(true);
    w.simple("OTHER");
    expect(kept.toString()).toBe("+PONG\r\n"); // not overwritten
    expect(w.peek().toString()).toBe("+OTHER\r\n");
  });

  it("clears what was written", () => {
    const w = new ReplyWriter();
    w.simple("OK");
    w.clear();
    expect(w.take().length).toBe(0);
  });
});
