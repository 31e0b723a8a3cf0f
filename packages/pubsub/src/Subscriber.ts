import type { RespProtocol } from "./frames.js";

/**
 * What the hub needs from a connection: the protocol it speaks and a sink for frames. The
 * transport implements it on its own client object (or a thin wrapper), and that object *is*
 * the subscriber's identity: the hub keys subscriptions by reference and never looks inside.
 *
 * @example
 * ```ts
 * class Client implements Subscriber {
 *   protocol: RespProtocol = 2; // HELLO 3 may change it at any time; read on every delivery
 *   deliver(frame: Uint8Array): void {
 *     this.output.push(frame); // same queue as ordinary replies, so ordering is kept
 *   }
 * }
 * ```
 */
export interface Subscriber {
  /** RESP version of the connection; read on every delivery, so `HELLO` may change it. */
  readonly protocol: RespProtocol;
  /**
   * Appends a complete RESP frame to the client's output, in order with its other replies.
   *
   * The frame is immutable and shared by every receiver of the same publish: keep a reference
   * or copy it, but never write into it. `deliver` may call back into the hub (for example
   * `unsubscribeAll` when an output-buffer limit is exceeded); the publish in progress skips
   * subscribers removed that way.
   */
  deliver(frame: Uint8Array): void;
}
