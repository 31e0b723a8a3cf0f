import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  lpAppend,
  lpBytes,
  lpDelete,
  lpDeleteEntry,
  lpFirst,
  lpLast,
  lpNew,
  lpPrepend,
  lpPushEnd,
} from "../src/listpack/index.js";
import { hex, latin1 } from "./utils/bytes.js";
import { listpackString } from "./utils/encodingBoundaries.js";

type EndOp = { push: true; head: boolean; value: Uint8Array } | { push: false; head: boolean };

const endOp: fc.Arbitrary<EndOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ push: fc.constant(true as const), head: fc.boolean(), value: listpackString }) },
  { weight: 2, arbitrary: fc.record({ push: fc.constant(false as const), head: fc.boolean() }) },
);

const ROOM = 1 << 16;
const AT = 5;

describe("listpack end edits (lpPushEnd, lpDeleteEntry)", () => {
  it("write the bytes of lpPrepend / lpAppend / lpDelete of the first or last element", () => {
    fc.assert(
      fc.property(fc.array(endOp, { maxLength: 40 }), (ops) => {
        // The same edits through the size-then-edit API (the reference) and the end edits.
        const ref = new Uint8Array(ROOM * 2);
        const fast = new Uint8Array(ROOM * 2);
        lpNew(ref, 0);
        lpNew(fast, AT);
        for (const o of ops) {
          if (o.push) {
            const v = o.value;
            const total = lpPushEnd(fast, AT, o.head, v, 0, v.length, ROOM);
            if (o.head) lpPrepend(ref, 0, v, 0, v.length);
            else lpAppend(ref, 0, v, 0, v.length);
            expect(total).toBe(lpBytes(ref, 0));
          } else {
            const p = o.head ? lpFirst(ref, 0) : lpLast(ref, 0);
            if (p < 0) continue;
            lpDelete(ref, 0, p);
            const q = o.head ? lpFirst(fast, AT) : lpLast(fast, AT);
            expect(lpDeleteEntry(fast, AT, q)).toBe(lpBytes(ref, 0));
          }
          const size = lpBytes(ref, 0);
          expect(hex(fast.subarray(AT, AT + size))).toBe(hex(ref.subarray(0, size)));
        }
      }),
    );
  });

  it("changes nothing and returns -1 when the element does not fit the room", () => {
    const lp = new Uint8Array(32);
    lpNew(lp, 0);
    expect(lpPushEnd(lp, 0, false, latin1("abc"), 0, 3, 12)).toBe(12);
    const before = hex(lp);
    // 12 + 5 bytes ("xyz": header, 3 bytes, backlen) > 16.
    expect(lpPushEnd(lp, 0, true, latin1("xyz"), 0, 3, 16)).toBe(-1);
    expect(hex(lp)).toBe(before);
    expect(lpPushEnd(lp, 0, true, latin1("12"), 0, 2, 16)).toBe(14);
    expect(hex(lp.subarray(0, 14))).toBe("0e00000002000c0183616263 04ff".replace(" ", ""));
  });
});
