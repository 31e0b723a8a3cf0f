import { ObjectType } from "@nedis/keyspace";
import { defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";
import { getLongLongFromObjectOrReply } from "./support/numbers.js";

const EMPTY: Uint8Array = new Uint8Array(0);

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (`lcsCommand`, Redis 7.0). */
export const lcsCommands = [
  defineCommand({
    name: "lcs",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const w = client.writer;
      const refA = db.lookupRead(args.buffer, args.offsets[1]!, args.lengths[1]!);
      const typeA = refA >= 0 ? db.typeAt(refA) : ObjectType.String;
      // Keep a's bytes: looking b up cannot move them (entries never move in the pool).
      let a = EMPTY;
      if (refA >= 0 && typeA === ObjectType.String) {
        db.loadValue(refA);
        a = db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen);
      }
      const refB = db.lookupRead(args.buffer, args.offsets[2]!, args.lengths[2]!);
      if (typeA !== ObjectType.String || (refB >= 0 && db.typeAt(refB) !== ObjectType.String)) {
        w.error("ERR The specified keys must contain string values");
        return;
      }
      let b = EMPTY;
      if (refB >= 0) {
        db.loadValue(refB);
        b = db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen);
      }
      let getLen = false;
      let getIdx = false;
      let withMatchLen = false;
      let minMatchLen = 0;
      for (let j = 3; j < args.argc; j++) {
        const more = args.argc - 1 - j;
        if (args.argEquals(j, "idx")) getIdx = true;
        else if (args.argEquals(j, "len")) getLen = true;
        else if (args.argEquals(j, "withmatchlen")) withMatchLen = true;
        else if (args.argEquals(j, "minmatchlen") && more > 0) {
          const n = getLongLongFromObjectOrReply(client, args, j + 1);
          if (n === null) return;
          minMatchLen = n < 0 ? 0 : Number(n);
          j++;
        } else {
          w.error(Errors.syntax);
          return;
        }
      }
      if (getLen && getIdx) {
        w.error("ERR If you want both the length and indexes, please just use IDX.");
        return;
      }
      const alen = a.length;
      const blen = b.length;
      if (alen >= 0xffffffff - 1 || blen >= 0xffffffff - 1) {
        w.error("ERR String too long for LCS");
        return;
      }
      const cells = (alen + 1) * (blen + 1);
      if (cells * 4 > server.config.number("proto-max-bulk-len")) {
        w.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        return;
      }
      let table: Uint32Array;
      try {
        table = new Uint32Array(cells);
      } catch {
        w.error("ERR Insufficient memory, failed allocating transient memory for LCS");
        return;
      }
      const row = blen + 1;
      for (let i = 1; i <= alen; i++) {
        const ai = a[i - 1];
        for (let j = 1; j <= blen; j++) {
          if (ai === b[j - 1]) table[i * row + j] = table[(i - 1) * row + j - 1]! + 1;
          else {
            const up = table[(i - 1) * row + j]!;
            const left = table[i * row + j - 1]!;
            table[i * row + j] = up > left ? up : left;
          }
        }
      }
      const total = table[alen * row + blen]!;
      const computeLcs = getIdx || !getLen;
      const result = computeLcs ? new Uint8Array(total) : EMPTY;
      // Ranges in emission order: [aStart, aEnd, bStart, bEnd, length] each.
      const ranges: number[] = [];
      let idx = total;
      let aStart = alen;
      let aEnd = 0;
      let bStart = 0;
      let bEnd = 0;
      let i = alen;
      let j = blen;
      while (computeLcs && i > 0 && j > 0) {
        let emit = false;
        if (a[i - 1] === b[j - 1]) {
          result[idx - 1] = a[i - 1]!;
          if (aStart === alen) {
            aStart = i - 1;
            aEnd = i - 1;
            bStart = j - 1;
            bEnd = j - 1;
          } else if (aStart === i && bStart === j) {
            aStart--;
            bStart--;
          } else {
            emit = true;
          }
          if (aStart === 0 || bStart === 0) emit = true;
          idx--;
          i--;
          j--;
        } else {
          const up = table[(i - 1) * row + j]!;
          const left = table[i * row + j - 1]!;
          if (up > left) i--;
          else j--;
          if (aStart !== alen) emit = true;
        }
        const matchLen = aEnd - aStart + 1;
        if (emit) {
          if (minMatchLen === 0 || matchLen >= minMatchLen) ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
          aStart = alen;
        }
      }
      if (getIdx) {
        w.mapHeader(2);
        w.bulkString("matches");
        w.arrayHeader(ranges.length / 5);
        for (let r = 0; r < ranges.length; r += 5) {
          w.arrayHeader(withMatchLen ? 3 : 2);
          w.arrayHeader(2);
          w.integer(ranges[r]!);
          w.integer(ranges[r + 1]!);
          w.arrayHeader(2);
          w.integer(ranges[r + 2]!);
          w.integer(ranges[r + 3]!);
          if (withMatchLen) w.integer(ranges[r + 4]!);
        }
        w.bulkString("len");
        w.integer(total);
      } else if (getLen) {
        w.integer(total);
      } else {
        w.bulk(result);
      }
    },
  }),
];
