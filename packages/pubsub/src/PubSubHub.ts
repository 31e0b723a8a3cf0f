/**
 * The pub/sub state of one server, with Redis 7.0 `pubsub.c` semantics: channels, glob
 * patterns and shard channels (a separate namespace, as `SSUBSCRIBE`), per-client bookkeeping
 * for the counts the subscribe-family replies carry, delivery with one encode per protocol
 * (`delivery.ts`), and the `PUBSUB` introspection.
 *
 * It knows nothing of sockets: a connection is any {@link Subscriber}. Names are bytes; they
 * are keyed by their latin1 string (see `bytes.ts`) and copied once when first subscribed, so
 * argument views into a reused read buffer may be passed directly.
 *
 * @module
 */
import { type ChannelName, copyBytes, latin1Key, latin1KeyOf, nameBytes } from "./bytes.js";
import { deliverToPatterns, deliverToSubscribers, type Subscription, sameBytes } from "./delivery.js";
import { encodeSubscriptionReply, type SubscriptionReplyKind } from "./frames.js";
import { globMatch } from "./globMatch.js";
import type { Subscriber } from "./Subscriber.js";

/** The three namespaces, used as indexes into registries and per-client state. */
const CHANNELS = 0;
const PATTERNS = 1;
const SHARD_CHANNELS = 2;
type Namespace = typeof CHANNELS | typeof PATTERNS | typeof SHARD_CHANNELS;
const NAMESPACES: readonly Namespace[] = [CHANNELS, PATTERNS, SHARD_CHANNELS];

type Registry<S> = Map<string, Subscription<S>>;
/** A client's subscriptions per namespace, pointing at the shared entries (O(own) cleanup). */
type ClientSubscriptions<S> = [Registry<S>, Registry<S>, Registry<S>];

/**
 * Channels, patterns and shard channels with their subscribers.
 *
 * The subscribe-family methods behave like the Redis commands of the same name, replies
 * included: each reply frame goes to the client's {@link Subscriber.deliver}, in argument order.
 * Every method is synchronous and allocation-light; nothing is retained from the arguments
 * except a copy of each newly subscribed name.
 *
 * @typeParam S - the transport's client type
 */
export class PubSubHub<S extends Subscriber = Subscriber> {
  readonly #registries: ClientSubscriptions<S> = [new Map(), new Map(), new Map()];
  readonly #clients = new Map<S, ClientSubscriptions<S>>();

  // --- commands -------------------------------------------------------------------------------

  /** `SUBSCRIBE channel [channel ...]`: replies `subscribe`, channel, channels + patterns count. */
  subscribe(client: S, channels: readonly ChannelName[]): void {
    this.#subscribeEach(CHANNELS, "subscribe", client, channels);
  }

  /**
   * `UNSUBSCRIBE [channel ...]`: replies `unsubscribe`, channel, remaining channels + patterns.
   * With no channels, unsubscribes from all of them; if there were none, the single reply has a
   * null channel and the count.
   */
  unsubscribe(client: S, channels: readonly ChannelName[] = []): void {
    this.#unsubscribeEach(CHANNELS, "unsubscribe", client, channels);
  }

  /** `PSUBSCRIBE pattern [pattern ...]`: replies `psubscribe`, pattern, channels + patterns count. */
  psubscribe(client: S, patterns: readonly ChannelName[]): void {
    this.#subscribeEach(PATTERNS, "psubscribe", client, patterns);
  }

  /** `PUNSUBSCRIBE [pattern ...]`: as {@link PubSubHub.unsubscribe}, for patterns. */
  punsubscribe(client: S, patterns: readonly ChannelName[] = []): void {
    this.#unsubscribeEach(PATTERNS, "punsubscribe", client, patterns);
  }

  /** `SSUBSCRIBE shardchannel [shardchannel ...]`: replies `ssubscribe`, channel, shard count. */
  ssubscribe(client: S, channels: readonly ChannelName[]): void {
    this.#subscribeEach(SHARD_CHANNELS, "ssubscribe", client, channels);
  }

  /** `SUNSUBSCRIBE [shardchannel ...]`: as {@link PubSubHub.unsubscribe}, counting shard channels. */
  sunsubscribe(client: S, channels: readonly ChannelName[] = []): void {
    this.#unsubscribeEach(SHARD_CHANNELS, "sunsubscribe", client, channels);
  }

  /**
   * `PUBLISH channel message`: delivers `message` to the channel's subscribers, then `pmessage`
   * to the subscribers of every matching pattern (each pattern is tested, as Redis does).
   * Frames are encoded once per protocol (per matching pattern) and shared by all receivers.
   *
   * @returns the receiver count Redis replies with: one per delivery, so a client subscribed to
   *   the channel and to two matching patterns counts (and receives) three times
   */
  publish(channel: ChannelName, message: ChannelName): number {
    const c = nameBytes(channel);
    const m = nameBytes(message);
    return this.#publish(c, 0, c.length, m, 0, m.length);
  }

  /**
   * {@link publish} with the channel and the message given as ranges of one buffer (a server's
   * read buffer): no view or copy is made of either. Nothing is kept from `source`.
   */
  publishFrom(
    source: Uint8Array,
    channelOff: number,
    channelLen: number,
    messageOff: number,
    messageLen: number,
  ): number {
    return this.#publish(source, channelOff, channelLen, source, messageOff, messageLen);
  }

  #publish(ch: Uint8Array, chOff: number, chLen: number, msg: Uint8Array, msgOff: number, msgLen: number): number {
    let receivers = 0;
    const channels = this.#registries[CHANNELS];
    if (channels.size !== 0) {
      const subscription = this.#channelSubscription(channels, ch, chOff, chLen);
      if (subscription !== undefined) {
        receivers += deliverToSubscribers(subscription.subscribers, false, ch, chOff, chLen, msg, msgOff, msgLen);
      }
    }
    const patterns = this.#registries[PATTERNS];
    if (patterns.size !== 0) receivers += deliverToPatterns(patterns.values(), ch, chOff, chLen, msg, msgOff, msgLen);
    return receivers;
  }

  /**
   * The subscription of a channel. A publisher usually repeats its channel, so the last one
   * found is kept: comparing the bytes costs less than building and hashing the latin1 key. A
   * kept subscription is still registered while it has subscribers (one that lost its last
   * subscriber is dropped from the registry and never gains any again).
   */
  #channelSubscription(channels: Registry<S>, ch: Uint8Array, off: number, len: number): Subscription<S> | undefined {
    const last = this.#lastPublished;
    if (last !== undefined && last.subscribers.size !== 0 && sameBytes(last.name, ch, off, len)) return last;
    const found = channels.get(latin1KeyOf(ch, off, len));
    this.#lastPublished = found;
    return found;
  }

  #lastPublished: Subscription<S> | undefined = undefined;

  /** `SPUBLISH shardchannel message`: delivers `smessage` to the shard channel's subscribers (patterns never apply). */
  spublish(channel: ChannelName, message: ChannelName): number {
    const shardChannels = this.#registries[SHARD_CHANNELS];
    if (shardChannels.size === 0) return 0;
    const c = nameBytes(channel);
    const subscription = shardChannels.get(latin1Key(c));
    if (subscription === undefined) return 0;
    const m = nameBytes(message);
    return deliverToSubscribers(subscription.subscribers, true, c, 0, c.length, m, 0, m.length);
  }

  /**
   * Drops every subscription of `client` without replying — for a disconnect or `RESET`.
   * O(subscriptions of that client).
   *
   * @returns how many subscriptions were removed
   */
  unsubscribeAll(client: S): number {
    const mine = this.#clients.get(client);
    if (mine === undefined) return 0;
    this.#clients.delete(client);
    let removed = 0;
    for (const namespace of NAMESPACES) {
      const registry = this.#registries[namespace];
      const own = mine[namespace];
      for (const [key, subscription] of own) {
        subscription.subscribers.delete(client);
        if (subscription.subscribers.size === 0) registry.delete(key);
        removed++;
      }
      // A command still holding this state (when `deliver` re-entered) then sees no subscriptions.
      own.clear();
    }
    return removed;
  }

  /**
   * Removes a shard channel and unsubscribes everyone from it, sending each a `sunsubscribe`
   * reply — what Redis Cluster does when the channel's hash slot moves away
   * (`pubsubShardUnsubscribeAllClients`).
   *
   * @returns the number of clients that were subscribed
   */
  removeShardChannel(channel: ChannelName): number {
    const registry = this.#registries[SHARD_CHANNELS];
    const key = latin1Key(nameBytes(channel));
    const subscription = registry.get(key);
    if (subscription === undefined) return 0;
    registry.delete(key);
    for (const client of subscription.subscribers) {
      const mine = this.#clients.get(client);
      if (mine === undefined) continue;
      mine[SHARD_CHANNELS].delete(key);
      const count = mine[SHARD_CHANNELS].size;
      this.#releaseIfEmpty(client, mine);
      client.deliver(encodeSubscriptionReply(client.protocol, "sunsubscribe", subscription.name, count));
    }
    return subscription.subscribers.size;
  }

  // --- introspection ----------------------------------------------------------------------------

  /**
   * `PUBSUB CHANNELS [pattern]`: channels with at least one subscriber, optionally filtered by a
   * glob pattern (no special case for `*`, so the empty channel name is not matched by it).
   * The returned arrays are the hub's own copies: read, don't write.
   */
  channels(pattern?: ChannelName): Uint8Array[] {
    return this.#names(CHANNELS, pattern);
  }

  /** `PUBSUB SHARDCHANNELS [pattern]`: as {@link PubSubHub.channels}, for shard channels. */
  shardChannels(pattern?: ChannelName): Uint8Array[] {
    return this.#names(SHARD_CHANNELS, pattern);
  }

  /** `PUBSUB NUMSUB` for one channel: its subscriber count (patterns are not counted). */
  numsub(channel: ChannelName): number {
    return this.#registries[CHANNELS].get(latin1Key(nameBytes(channel)))?.subscribers.size ?? 0;
  }

  /** `PUBSUB SHARDNUMSUB` for one shard channel. */
  shardNumsub(channel: ChannelName): number {
    return this.#registries[SHARD_CHANNELS].get(latin1Key(nameBytes(channel)))?.subscribers.size ?? 0;
  }

  /** `PUBSUB NUMPAT` (and INFO `pubsub_patterns`): distinct patterns with a subscriber, as in Redis 7.0. */
  numpat(): number {
    return this.#registries[PATTERNS].size;
  }

  /** INFO `pubsub_channels`: channels with at least one subscriber. */
  get channelCount(): number {
    return this.#registries[CHANNELS].size;
  }

  /** INFO `pubsubshard_channels`: shard channels with at least one subscriber. */
  get shardChannelCount(): number {
    return this.#registries[SHARD_CHANNELS].size;
  }

  /** Clients with at least one subscription of any kind (0 lets a caller skip per-client lookups). */
  get subscribedClientCount(): number {
    return this.#clients.size;
  }

  // --- per client -------------------------------------------------------------------------------

  /** Channels `client` is subscribed to (CLIENT LIST `sub=`). */
  clientChannelCount(client: S): number {
    return this.#clients.get(client)?.[CHANNELS].size ?? 0;
  }

  /** Patterns `client` is subscribed to (CLIENT LIST `psub=`). */
  clientPatternCount(client: S): number {
    return this.#clients.get(client)?.[PATTERNS].size ?? 0;
  }

  /** Shard channels `client` is subscribed to; the count `ssubscribe`/`sunsubscribe` replies carry. */
  clientShardChannelCount(client: S): number {
    return this.#clients.get(client)?.[SHARD_CHANNELS].size ?? 0;
  }

  /** Channels + patterns: the count (p)(un)subscribe replies carry (`clientSubscriptionsCount`). */
  clientSubscriptionCount(client: S): number {
    const mine = this.#clients.get(client);
    return mine === undefined ? 0 : mine[CHANNELS].size + mine[PATTERNS].size;
  }

  /** Channels + patterns + shard channels (`clientTotalPubSubSubscriptionCount`): non-zero means pub/sub mode. */
  clientTotalSubscriptionCount(client: S): number {
    const mine = this.#clients.get(client);
    return mine === undefined ? 0 : mine[CHANNELS].size + mine[PATTERNS].size + mine[SHARD_CHANNELS].size;
  }

  // --- internals ---------------------------------------------------------------------------------

  #replyCount(namespace: Namespace, mine: ClientSubscriptions<S> | undefined): number {
    if (mine === undefined) return 0;
    return namespace === SHARD_CHANNELS ? mine[SHARD_CHANNELS].size : mine[CHANNELS].size + mine[PATTERNS].size;
  }

  #subscribeEach(
    namespace: Namespace,
    replyKind: SubscriptionReplyKind,
    client: S,
    names: readonly ChannelName[],
  ): void {
    for (const name of names) {
      const bytes = nameBytes(name);
      const mine = this.#add(namespace, client, bytes);
      client.deliver(encodeSubscriptionReply(client.protocol, replyKind, bytes, this.#replyCount(namespace, mine)));
    }
  }

  #unsubscribeEach(
    namespace: Namespace,
    replyKind: SubscriptionReplyKind,
    client: S,
    names: readonly ChannelName[],
  ): void {
    const mine = this.#clients.get(client);
    if (names.length === 0) {
      let removed = 0;
      if (mine !== undefined) {
        for (const [key, subscription] of mine[namespace]) {
          this.#remove(namespace, client, mine, key);
          removed++;
          const count = this.#replyCount(namespace, mine);
          client.deliver(encodeSubscriptionReply(client.protocol, replyKind, subscription.name, count));
        }
      }
      if (removed === 0) {
        const count = this.#replyCount(namespace, mine);
        client.deliver(encodeSubscriptionReply(client.protocol, replyKind, null, count));
      }
    } else {
      for (const name of names) {
        const bytes = nameBytes(name);
        if (mine !== undefined) this.#remove(namespace, client, mine, latin1Key(bytes));
        const count = this.#replyCount(namespace, mine);
        client.deliver(encodeSubscriptionReply(client.protocol, replyKind, bytes, count));
      }
    }
    if (mine !== undefined) this.#releaseIfEmpty(client, mine);
  }

  #add(namespace: Namespace, client: S, name: Uint8Array): ClientSubscriptions<S> {
    let mine = this.#clients.get(client);
    if (mine === undefined) {
      mine = [new Map(), new Map(), new Map()];
      this.#clients.set(client, mine);
    }
    const key = latin1Key(name);
    const own = mine[namespace];
    if (own.has(key)) return mine;
    const registry = this.#registries[namespace];
    let subscription = registry.get(key);
    if (subscription === undefined) {
      subscription = { name: copyBytes(name), subscribers: new Set() };
      registry.set(key, subscription);
    }
    subscription.subscribers.add(client);
    own.set(key, subscription);
    return mine;
  }

  #remove(namespace: Namespace, client: S, mine: ClientSubscriptions<S>, key: string): boolean {
    const own = mine[namespace];
    const subscription = own.get(key);
    if (subscription === undefined) return false;
    own.delete(key);
    subscription.subscribers.delete(client);
    // Drop empty entries so that churn over millions of channel names cannot grow the registry.
    const registry = this.#registries[namespace];
    if (subscription.subscribers.size === 0 && registry.get(key) === subscription) registry.delete(key);
    return true;
  }

  /** Forgets a client with no subscriptions left, so the per-client map holds subscribers only. */
  #releaseIfEmpty(client: S, mine: ClientSubscriptions<S>): void {
    if (mine[CHANNELS].size === 0 && mine[PATTERNS].size === 0 && mine[SHARD_CHANNELS].size === 0) {
      if (this.#clients.get(client) === mine) this.#clients.delete(client);
    }
  }

  #names(namespace: Namespace, pattern: ChannelName | undefined): Uint8Array[] {
    const out: Uint8Array[] = [];
    const patternBytes = pattern === undefined ? undefined : nameBytes(pattern);
    for (const subscription of this.#registries[namespace].values()) {
      if (patternBytes === undefined || globMatch(patternBytes, subscription.name)) out.push(subscription.name);
    }
    return out;
  }
}
