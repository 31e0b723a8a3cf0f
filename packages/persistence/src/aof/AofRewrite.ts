import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import type { Keyspace } from "@nedis/keyspace";
import { valueTypeOf } from "@nedis/keyspace";
import { RespCommandBuffer } from "./RespCommandBuffer.js";

const FLUSH_AT = 1 << 20;
const FUNCTION = Buffer.from("FUNCTION");
const LOAD = Buffer.from("LOAD");

/**
 * Writes the commands that rebuild the whole keyspace (Redis's `rewriteAppendOnlyFileRio`):
 * a FUNCTION LOAD per function library (`rewriteFunctions`), then per non-empty database a SELECT, then each key through its type's registry `rewrite`, then
 * PEXPIREAT for a key with a deadline. The walk is synchronous, so the result is the dataset
 * at one instant; a time-sliced walk with copy-before-first-write (the RDB snapshot walker)
 * will replace it behind the same signature.
 */
export function rewriteKeyspace(
  ks: Keyspace,
  write: (bytes: Uint8Array, off: number, len: number) => void,
  functionLibraries: readonly Uint8Array[] = [],
): number {
  const out = new RespCommandBuffer(FLUSH_AT + 64 * 1024);
  let keys = 0;
  const emit = (args: readonly Uint8Array[]): void => {
    out.arrayHeader(args.length);
    for (const a of args) out.bulk(a, 0, a.length);
    if (out.length >= FLUSH_AT) {
      write(out.bytes, 0, out.length);
      out.clear();
    }
  };
  for (const code of functionLibraries) emit([FUNCTION, LOAD, code]);
  for (const db of ks.databases) {
    if (db.size === 0) continue;
    out.command(["SELECT", String(db.id)]);
    const names: Buffer[] = [];
    db.index.forEach((handle) => {
      names.push(db.keyCopy(handle));
    });
    for (const key of names) {
      const ref = db.find(key, 0, key.length);
      if (ref < 0) continue;
      valueTypeOf(db.typeAt(ref)).rewrite(db, ref, key, emit);
      const deadline = db.expireAt(ref);
      if (deadline !== -1) out.command(["PEXPIREAT", key, String(deadline)]);
      keys++;
    }
  }
  if (out.length > 0) write(out.bytes, 0, out.length);
  return keys;
}

/** {@link rewriteKeyspace} into a new file at `path` (written, then fsynced); returns its size. */
export function writeAofBaseFile(ks: Keyspace, path: string, functionLibraries: readonly Uint8Array[] = []): number {
  const fd = openSync(path, "w");
  let size = 0;
  try {
    rewriteKeyspace(
      ks,
      (bytes, off, len) => {
        let at = off;
        while (at < off + len) at += writeSync(fd, bytes, at, off + len - at);
        size += len;
      },
      functionLibraries,
    );
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return size;
}
