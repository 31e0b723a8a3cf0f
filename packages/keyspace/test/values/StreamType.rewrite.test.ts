import { describe, expect, it } from "vitest";
import { Encoding, ObjectType, StreamType, stream } from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

function add(s: stream.StreamObject, limits: stream.StreamNodeLimits, ms: number, fields: string[]): void {
  const bufs = fields.map((f) => b(f));
  const offsets: number[] = [];
  let at = 0;
  for (const x of bufs) {
    offsets.push(at);
    at += x.length;
  }
  const id = { ms, seq: 0 };
  const lengths = bufs.map((x) => x.length);
  stream.streamAppendItem(
    s,
    { buffer: Buffer.concat(bufs), offsets, lengths },
    0,
    fields.length / 2,
    id,
    true,
    0,
    limits,
  );
}

describe("stream AOF rewrite (rewriteStreamObject)", () => {
  it("emits XADD per entry, XSETID, then XGROUP CREATE and XCLAIM / CREATECONSUMER", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    const key = b("s");
    db.lookupWrite(key, 0, 1);
    const object = new stream.StreamObject(db.host.pool, db.host.memory);
    const ref = db.insertOutOfLine(key, 0, 1, object, ObjectType.Stream, Encoding.Stream);
    const s = db.objectAt(ref) as stream.StreamObject;
    add(s, ks.limits, 1, ["a", "1"]);
    add(s, ks.limits, 2, ["b", "2", "c", "3"]);
    add(s, ks.limits, 3, ["a", "x"]);
    stream.streamDeleteItem(s, { ms: 3, seq: 0 });
    s.maxDeletedId = { ms: 3, seq: 0 };
    s.groups = new stream.ConsumerGroups();
    const g = s.groups.create(b("grp"), { ms: 2, seq: 0 }, 2n)!;
    const alice = g.createConsumer(b("alice"), 5)!;
    g.createConsumer(b("bob"), 6);
    g.deliver({ ms: 1, seq: 0 }, alice, 1234);
    const commands: string[] = [];
    StreamType.rewrite(db, ref, key, (args) => commands.push(args.map((a) => Buffer.from(a).toString()).join(" ")));
    expect(commands).toEqual([
      "XADD s 1-0 a 1",
      "XADD s 2-0 b 2 c 3",
      "XSETID s 3-0 ENTRIESADDED 3 MAXDELETEDID 3-0",
      "XGROUP CREATE s grp 2-0 ENTRIESREAD 2",
      "XCLAIM s grp alice 0 1-0 TIME 1234 RETRYCOUNT 1 JUSTID FORCE",
      "XGROUP CREATECONSUMER s grp bob",
    ]);
    stream.streamDeleteItem(s, { ms: 1, seq: 0 });
    stream.streamDeleteItem(s, { ms: 2, seq: 0 });
    s.groups = null;
    commands.length = 0;
    StreamType.rewrite(db, ref, key, (args) => commands.push(args.map((a) => Buffer.from(a).toString()).join(" ")));
    expect(commands).toEqual(["XADD s MAXLEN 0 0-1 x y", "XSETID s 3-0 ENTRIESADDED 3 MAXDELETEDID 3-0"]);
  });
});
