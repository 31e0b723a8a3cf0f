import { createHash } from "node:crypto";

/** Redis's `sha1hex`: the lowercase hex SHA1 scripts are named by (and `redis.sha1hex`). */
export function sha1hex(bytes: Uint8Array): string {
  return createHash("sha1").update(bytes).digest("hex");
}
