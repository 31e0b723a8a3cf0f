/**
 * Keyspace notifications (Redis 7.0 `notify.c`): a command that changed a key calls
 * {@link KeyspaceNotifier.notifyKeyspaceEvent}, which publishes
 * `__keyspace@<db>__:<key>` → `<event>` (class `K`) and `__keyevent@<db>__:<event>` → `<key>`
 * (class `E`) when the event's class is enabled in `notify-keyspace-events`.
 *
 * @module
 */
import { type ChannelName, nameBytes } from "./bytes.js";
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE } from "./keyspaceEvents.js";

/** The part of the hub the notifier publishes through ({@link PubSubHub} satisfies it). */
export interface KeyspaceEventPublisher {
  publish(channel: Uint8Array, message: Uint8Array): number;
  /** Channels with a subscriber; with no pattern either, nobody can receive an event. */
  readonly channelCount: number;
  numpat(): number;
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function concat(head: Uint8Array, tail: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}

/**
 * Publishes keyspace events for a server whose `notify-keyspace-events` is {@link flags}.
 *
 * Event names, `__keyspace@<db>__:` prefixes and whole `__keyevent@<db>__:<event>` channels are
 * encoded once and cached, so a notification costs one channel allocation (the keyspace one)
 * plus the publishes; with the class disabled, or nobody subscribed, it costs a branch.
 */
export class KeyspaceNotifier {
  /** The parsed `notify-keyspace-events` value (see `keyspaceEventsStringToFlags`); 0 disables. */
  flags: number;
  readonly #publisher: KeyspaceEventPublisher;
  readonly #eventBytes = new Map<string, Uint8Array>();
  readonly #keyspacePrefixes: Uint8Array[] = [];
  readonly #keyeventChannels: Map<string, Uint8Array>[] = [];

  constructor(publisher: KeyspaceEventPublisher, flags = 0) {
    this.#publisher = publisher;
    this.flags = flags;
  }

  /**
   * `notifyKeyspaceEvent(type, event, key, dbid)` as in Redis.
   *
   * @param type - the event's class flag, e.g. `NOTIFY_STRING`
   * @param event - the event name, e.g. `"set"` (see `KEYSPACE_EVENT_NAMES`)
   * @param key - the key's bytes (strings are UTF-8 encoded)
   * @param dbid - the database index
   */
  notifyKeyspaceEvent(type: number, event: string, key: ChannelName, dbid: number): void {
    const flags = this.flags;
    if ((flags & type) === 0) return;
    const publisher = this.#publisher;
    if (publisher.channelCount === 0 && publisher.numpat() === 0) return;
    const eventBytes = this.#event(event);
    const keyBytes = nameBytes(key);
    if (flags & NOTIFY_KEYSPACE) {
      publisher.publish(concat(this.#keyspacePrefix(dbid), keyBytes), eventBytes);
    }
    if (flags & NOTIFY_KEYEVENT) {
      publisher.publish(this.#keyeventChannel(dbid, event, eventBytes), keyBytes);
    }
  }

  #event(event: string): Uint8Array {
    let bytes = this.#eventBytes.get(event);
    if (bytes === undefined) {
      bytes = nameBytes(event);
      this.#eventBytes.set(event, bytes);
    }
    return bytes;
  }

  #keyspacePrefix(dbid: number): Uint8Array {
    let prefix = this.#keyspacePrefixes[dbid];
    if (prefix === undefined) {
      prefix = ascii(`__keyspace@${dbid}__:`);
      this.#keyspacePrefixes[dbid] = prefix;
    }
    return prefix;
  }

  #keyeventChannel(dbid: number, event: string, eventBytes: Uint8Array): Uint8Array {
    let channels = this.#keyeventChannels[dbid];
    if (channels === undefined) {
      channels = new Map();
      this.#keyeventChannels[dbid] = channels;
    }
    let channel = channels.get(event);
    if (channel === undefined) {
      channel = concat(ascii(`__keyevent@${dbid}__:`), eventBytes);
      channels.set(event, channel);
    }
    return channel;
  }
}
