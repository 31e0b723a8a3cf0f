/**
 * Malformed RDB data: a truncated buffer, an unknown encoding, a bad listpack. A server answers
 * RESTORE with `ERR Bad data format` when loading throws it, as Redis does when rdbLoadObject
 * fails.
 */
export class RdbFormatError extends Error {
  override readonly name = "RdbFormatError";
}
