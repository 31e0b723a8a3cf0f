import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReplyWriter } from "../src/index.js";

type Kind = "array" | "map" | "set";
type Leaf = { leaf: "int"; n: number } | { leaf: "bulk"; s: string } | { leaf: "null" } | { leaf: "double"; d: number };
type Tree = Leaf | { kind: Kind; deferred: boolean; children: Tree[] };

// Maps hold key/value pairs: an even number of children (the pair count is half).
function count(t: Exclude<Tree, Leaf>): number {
  return t.kind === "map" ? t.children.length / 2 : t.children.length;
}

function writeTree(w: ReplyWriter, t: Tree, eager: boolean): void {
  if ("leaf" in t) {
    if (t.leaf === "int") w.integer(t.n);
    else if (t.leaf === "bulk") w.bulkString(t.s);
    else if (t.leaf === "null") w.nullBulk();
    else w.double(t.d);
    return;
  }
  if (eager || !t.deferred) {
    if (t.kind === "array") w.arrayHeader(count(t));
    else if (t.kind === "map") w.mapHeader(count(t));
    else w.setHeader(count(t));
    for (const c of t.children) writeTree(w, c, eager);
    return;
  }
  const token = w.deferLength();
  for (const c of t.children) writeTree(w, c, eager);
  if (t.kind === "array") w.setDeferredArrayLength(token, count(t));
  else if (t.kind === "map") w.setDeferredMapLength(token, count(t));
  else w.setDeferredSetLength(token, count(t));
}

function bytes(protocol: 2 | 3, t: Tree, eager: boolean, initialSize = 8): string {
  const w = new ReplyWriter(initialSize);
  w.protocol = protocol;
  writeTree(w, t, eager);
  expect(w.openDeferredLengths).toBe(0);
  return w.take().toString("latin1");
}

const leaf: fc.Arbitrary<Tree> = fc.oneof(
  fc.record({ leaf: fc.constant("int" as const), n: fc.oneof(fc.integer({ min: -20, max: 20 }), fc.maxSafeInteger()) }),
  fc.record({
    leaf: fc.constant("bulk" as const),
    s: fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x00-\xff]/g, "?")),
  }),
  fc.record({ leaf: fc.constant("null" as const) }),
  fc.record({ leaf: fc.constant("double" as const), d: fc.double() }),
);

const tree = fc.letrec<{ tree: Tree; node: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("node")),
  node: fc
    .record({
      kind: fc.constantFrom<Kind>("array", "map", "set"),
      deferred: fc.boolean(),
      // Sizes around 9/10 and 99/100 cross a header's digit count (RESP2 maps double it).
      children: fc.oneof(
        fc.array(tie("tree"), { maxLength: 6 }),
        fc
          .constantFrom(4, 5, 9, 10, 11, 49, 50, 99, 100, 101, 1000)
          .chain((n) => fc.array(leaf, { minLength: n, maxLength: n })),
      ),
    })
    .map((n) => (n.kind === "map" && n.children.length % 2 === 1 ? { ...n, children: n.children.slice(1) } : n)),
})).tree;

describe("ReplyWriter deferred lengths", () => {
  it("write the same bytes as eager headers, for any nesting, in RESP2 and RESP3", () => {
    fc.assert(
      fc.property(tree, fc.constantFrom<2 | 3>(2, 3), fc.constantFrom(8, 64, 16 * 1024), (t, protocol, size) => {
        expect(bytes(protocol, t, false, size)).toBe(bytes(protocol, t, true, size));
      }),
      { numRuns: 3000 },
    );
  });

  it("write Redis's headers: *n, %n / *2n, ~n / *n", () => {
    const w = new ReplyWriter(8);
    const keys = w.deferLength();
    for (let i = 0; i < 12; i++) w.bulkString(`k${i}`);
    w.setDeferredArrayLength(keys, 12);
    expect(w.take().toString("latin1")).toBe(
      `*12\r\n${Array.from({ length: 12 }, (_, i) => `$${String(i).length + 1}\r\nk${i}\r\n`).join("")}`,
    );

    for (const protocol of [2, 3] as const) {
      w.protocol = protocol;
      const map = w.deferLength();
      w.bulkString("f");
      const set = w.deferLength();
      w.integer(1);
      w.integer(2);
      w.setDeferredSetLength(set, 2);
      w.setDeferredMapLength(map, 1);
      expect(w.take().toString("latin1")).toBe(
        protocol === 3 ? "%1\r\n$1\r\nf\r\n~2\r\n:1\r\n:2\r\n" : "*2\r\n$1\r\nf\r\n*2\r\n:1\r\n:2\r\n",
      );
    }

    const empty = w.deferLength();
    w.setDeferredArrayLength(empty, 0);
    expect(w.take().toString("latin1")).toBe("*0\r\n");
  });

  it("move what follows the slot when the header is longer than one digit, across a buffer growth", () => {
    const w = new ReplyWriter(8);
    w.simple("before");
    const token = w.deferLength();
    for (let i = 0; i < 1000; i++) w.integer(i);
    w.setDeferredArrayLength(token, 1000);
    const text = w.take().toString("latin1");
    expect(text).toBe(`+before\r\n*1000\r\n${Array.from({ length: 1000 }, (_, i) => `:${i}\r\n`).join("")}`);
  });

  it("refuse take() and peek() while a length is open, and a set that is not the innermost", () => {
    const w = new ReplyWriter();
    const outer = w.deferLength();
    const inner = w.deferLength();
    expect(() => w.take()).toThrow(/take\(\) while 2 deferred length/);
    expect(() => w.peek()).toThrow(/peek\(\) while 2 deferred length/);
    expect(() => w.setDeferredArrayLength(outer, 1)).toThrow(/innermost/);
    w.setDeferredArrayLength(inner, 0);
    w.setDeferredArrayLength(outer, 1);
    expect(w.take().toString("latin1")).toBe("*1\r\n*0\r\n");
  });

  it("cancel the deferrals of a truncated reply (length = mark) and keep the earlier ones", () => {
    const w = new ReplyWriter();
    const outer = w.deferLength();
    w.integer(1);
    const mark = w.length;
    w.deferLength(); // a command whose reply is dropped (CLIENT REPLY OFF), or that threw midway
    w.integer(2);
    w.length = mark;
    expect(w.openDeferredLengths).toBe(1);
    w.integer(3);
    w.setDeferredArrayLength(outer, 2);
    expect(w.take().toString("latin1")).toBe("*2\r\n:1\r\n:3\r\n");

    w.deferLength();
    w.length = 0;
    expect(w.openDeferredLengths).toBe(0);
    expect(w.take().length).toBe(0);
    w.deferLength();
    w.clear();
    expect(w.openDeferredLengths).toBe(0);
  });
});
