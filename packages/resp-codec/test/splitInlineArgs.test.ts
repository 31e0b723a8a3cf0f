import { describe, expect, it } from "vitest";
import { type InlineArgsSink, splitInlineArgs } from "../src/index.js";

function split(line: string): string[] | null {
  const bytes = Buffer.from(line, "latin1");
  const sink: InlineArgsSink = {
    bytes: Buffer.alloc(bytes.length),
    offsets: new Int32Array(1),
    lengths: new Int32Array(1),
  };
  const argc = splitInlineArgs(bytes, 0, bytes.length, sink, (needed) => {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(Math.max(needed, a.length * 2));
      b.set(a);
      return b;
    };
    sink.offsets = grow(sink.offsets);
    sink.lengths = grow(sink.lengths);
  });
  if (argc < 0) return null;
  return Array.from({ length: argc }, (_, i) =>
    Buffer.from(sink.bytes.subarray(sink.offsets[i]!, sink.offsets[i]! + sink.lengths[i]!)).toString("latin1"),
  );
}

describe("splitInlineArgs (sdssplitargs)", () => {
  const cases: [string, string[] | null][] = [
    ["set a b", ["set", "a", "b"]],
    ["  \t a\x0bb  ", ["a\x0bb"]], // \v separates tokens only when leading (isspace), not inside one
    ['"a b" c', ["a b", "c"]],
    ['"\\x41\\x4a\\n\\r\\t\\b\\a\\\\\\"\\q"', ['AJ\n\r\t\b\x07\\"q']],
    ['"\\x4"', ["x4"]],
    ["'it\\'s' 'a\\nb'", ["it's", "a\\nb"]],
    ['ab"cd ef"', ["abcd ef"]],
    ['""', [""]],
    ['"a"b', null],
    ["'a'b", null],
    ['"abc', null],
    ["'abc", null],
    ['"a\\"', null],
    ["a\0b c", ["a"]], // a C string ends at NUL
    ["", []],
  ];
  for (const [line, args] of cases) {
    it(`splits ${JSON.stringify(line)}`, () => expect(split(line)).toEqual(args));
  }
});
