import { splitInlineArgs } from "@nedis/resp-codec";

/** Splits one config line with Redis's `sdssplitargs` rules; null on unbalanced quotes. */
export function splitConfigLine(line: string): string[] | null {
  const bytes = Buffer.from(line, "latin1");
  const sink = { bytes: new Uint8Array(bytes.length), offsets: new Int32Array(8), lengths: new Int32Array(8) };
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
  const words: string[] = [];
  for (let i = 0; i < argc; i++) {
    const off = sink.offsets[i]!;
    words.push(Buffer.from(sink.bytes.subarray(off, off + sink.lengths[i]!)).toString("latin1"));
  }
  return words;
}
