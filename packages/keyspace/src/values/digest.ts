import { createHash } from "node:crypto";

/**
 * Redis's DEBUG DIGEST primitives (debug.c), so equal datasets digest equally on nedis and on
 * Redis. A digest is 20 bytes.
 */

function sha1(data: Uint8Array): Buffer {
  return createHash("sha1").update(data).digest();
}

/** `xorDigest`: digest ^= SHA1(data). */
export function xorDigest(digest: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let j = 0; j < 20; j++) digest[j]! ^= h[j]!;
}

/** `mixDigest`: digest = SHA1(digest ^ SHA1(data)). */
export function mixDigest(digest: Uint8Array, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

/** A 32-bit big-endian word, as `htonl` lays out the type and database numbers Redis mixes in. */
export function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}
