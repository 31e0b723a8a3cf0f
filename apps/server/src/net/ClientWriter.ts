import { ReplyWriter } from "@nedis/resp-codec";
import type { ErrorStats } from "../stats/CommandStats.js";

/**
 * The reply writer of a server connection: counts error replies (INFO errorstats, and the
 * `failed_calls` of the command that replied them) on top of the codec's writer.
 */
export class ClientWriter extends ReplyWriter {
  /** Error replies written so far on this connection. */
  errors = 0;

  constructor(private readonly errorStats: ErrorStats) {
    super();
  }

  override error(message: string): void {
    super.error(message);
    this.errors++;
    this.errorStats.record(message);
  }
}
