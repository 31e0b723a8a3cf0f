/**
 * A malformed or over-limit request. `message` is the exact error text Redis 7.0 replies with
 * (without the leading `-`), e.g. `ERR Protocol error: invalid bulk length`. The connection must
 * be closed after the reply, as Redis does.
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  /** The text after `ERR Protocol error: `, e.g. `invalid bulk length`. */
  readonly reason: string;

  /** @param reason the text after `ERR Protocol error: `. */
  constructor(reason: string) {
    super(`ERR Protocol error: ${reason}`);
    this.reason = reason;
  }
}
