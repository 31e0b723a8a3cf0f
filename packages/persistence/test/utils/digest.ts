import { digestValue, type Keyspace, mixDigest, u32be, xorDigest } from "@nedis/keyspace";

/** DEBUG DIGEST of a keyspace, as Redis computes it (keys past their deadline left out). */
export function keyspaceDigest(ks: Keyspace): string {
  const final = new Uint8Array(20);
  const now = ks.now();
  for (const db of ks.databases) {
    if (db.size === 0) continue;
    mixDigest(final, u32be(db.id));
    const keys: Buffer[] = [];
    db.index.forEach((handle, meta) => {
      const deadline = db.deadlineOfEntry(handle, meta);
      if (deadline !== -1 && now > deadline) return;
      keys.push(db.keyCopy(handle));
    });
    for (const key of keys) {
      const digest = new Uint8Array(20);
      mixDigest(digest, key);
      const ref = db.find(key, 0, key.length);
      digestValue(db, ref, digest);
      xorDigest(final, digest);
    }
  }
  return Buffer.from(final).toString("hex");
}
