/**
 * Thrown when a handle that is not live is passed to an operation that checks handles: a freed
 * (double free), stale (its slot was reused since) or never-issued handle. It signals a bug in the
 * caller, so it is an exception rather than a return value; out-of-memory and pool-full results
 * are ordinary return values because they are expected at run time.
 */
export class InvalidHandleError extends RangeError {
  /** The offending handle value. */
  readonly handle: number;

  constructor(handle: number, reason: string) {
    super(`invalid handle ${handle}: ${reason}`);
    this.name = "InvalidHandleError";
    this.handle = handle;
  }
}
