/**
 * A tiny in-memory "server" around the hub: enough command dispatch to drive the pub/sub
 * commands the way apps/server will, so unit tests and the redis-server conformance test can run
 * the same scenario against both and compare bytes.
 */
import {
  INVALID_KEYSPACE_EVENTS_MESSAGE,
  KeyspaceNotifier,
  keyspaceEventsFlagsToString,
  keyspaceEventsStringToFlags,
  NOTIFY_GENERIC,
  NOTIFY_NEW,
  NOTIFY_STRING,
  PubSubHub,
  type RespProtocol,
  type Subscriber,
} from "../../src/index.js";
import { bytesOf, encodeArray, encodeInteger, latin1 } from "./resp.js";

/** A connection whose output is an array of frames. */
export class MemoryClient implements Subscriber {
  protocol: RespProtocol = 2;
  readonly frames: Uint8Array[] = [];

  deliver(frame: Uint8Array): void {
    this.frames.push(frame);
  }

  /** Everything delivered since the last call, as latin1 strings (one per frame), then clears. */
  take(): string[] {
    const out = this.frames.map(latin1);
    this.frames.length = 0;
    return out;
  }
}

export class MemoryServer {
  readonly hub = new PubSubHub<MemoryClient>();
  readonly notifier = new KeyspaceNotifier(this.hub);
  readonly #keys = new Set<string>();

  connect(): MemoryClient {
    return new MemoryClient();
  }

  disconnect(client: MemoryClient): void {
    this.hub.unsubscribeAll(client);
  }

  /** Runs one command; `args` are latin1 strings (one char per byte) or bytes. */
  command(client: MemoryClient, args: readonly (string | Uint8Array)[]): void {
    const argv = args.map((arg) => (typeof arg === "string" ? bytesOf(arg) : arg));
    const name = latin1(argv[0]!).toLowerCase();
    const rest = argv.slice(1);
    const hub = this.hub;
    switch (name) {
      case "subscribe":
        return hub.subscribe(client, rest);
      case "unsubscribe":
        return hub.unsubscribe(client, rest);
      case "psubscribe":
        return hub.psubscribe(client, rest);
      case "punsubscribe":
        return hub.punsubscribe(client, rest);
      case "ssubscribe":
        return hub.ssubscribe(client, rest);
      case "sunsubscribe":
        return hub.sunsubscribe(client, rest);
      case "publish":
        return client.deliver(encodeInteger(hub.publish(rest[0]!, rest[1]!)));
      case "spublish":
        return client.deliver(encodeInteger(hub.spublish(rest[0]!, rest[1]!)));
      case "hello":
        client.protocol = Number(latin1(rest[0]!)) === 3 ? 3 : 2;
        return client.deliver(bytesOf("+HELLO-REPLY-NOT-MODELLED\r\n"));
      case "pubsub":
        return this.#pubsub(client, rest);
      case "config":
        return this.#config(client, rest);
      case "set": {
        const key = latin1(rest[0]!);
        if (!this.#keys.has(key)) {
          this.#keys.add(key);
          this.notifier.notifyKeyspaceEvent(NOTIFY_NEW, "new", rest[0]!, 0);
        }
        this.notifier.notifyKeyspaceEvent(NOTIFY_STRING, "set", rest[0]!, 0);
        return client.deliver(bytesOf("+OK\r\n"));
      }
      case "del": {
        let removed = 0;
        for (const key of rest) {
          if (!this.#keys.delete(latin1(key))) continue;
          removed++;
          this.notifier.notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, 0);
        }
        return client.deliver(encodeInteger(removed));
      }
      default:
        throw new Error(`MemoryServer: unsupported command ${name}`);
    }
  }

  #pubsub(client: MemoryClient, rest: Uint8Array[]): void {
    const sub = latin1(rest[0]!).toLowerCase();
    const hub = this.hub;
    switch (sub) {
      case "channels":
        return client.deliver(encodeArray(hub.channels(rest[1])));
      case "shardchannels":
        return client.deliver(encodeArray(hub.shardChannels(rest[1])));
      case "numpat":
        return client.deliver(encodeInteger(hub.numpat()));
      case "numsub":
        return client.deliver(encodeArray(rest.slice(1).flatMap((ch) => [ch, hub.numsub(ch)])));
      case "shardnumsub":
        return client.deliver(encodeArray(rest.slice(1).flatMap((ch) => [ch, hub.shardNumsub(ch)])));
      default:
        throw new Error(`MemoryServer: unsupported PUBSUB ${sub}`);
    }
  }

  #config(client: MemoryClient, rest: Uint8Array[]): void {
    const verb = latin1(rest[0]!).toLowerCase();
    if (verb === "set") {
      const flags = keyspaceEventsStringToFlags(latin1(rest[2]!));
      if (flags === -1) {
        const text = `-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - ${INVALID_KEYSPACE_EVENTS_MESSAGE}\r\n`;
        return client.deliver(bytesOf(text));
      }
      this.notifier.flags = flags;
      return client.deliver(bytesOf("+OK\r\n"));
    }
    const value = bytesOf(keyspaceEventsFlagsToString(this.notifier.flags));
    return client.deliver(encodeArray([bytesOf("notify-keyspace-events"), value]));
  }
}
