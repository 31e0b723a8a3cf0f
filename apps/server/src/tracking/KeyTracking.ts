import type { Client } from "../net/Client.js";

/** A client's CLIENT TRACKING settings. */
export interface TrackingState {
  /** Client id invalidations go to, or 0 for the client itself. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING was given for the next command. */
  caching: boolean;
  brokenRedirect: boolean;
  prefixes: string[];
}

const bulk = (s: Buffer) => Buffer.concat([Buffer.from(`$${s.length}\r\n`), s, CRLF]);
const CRLF = Buffer.from("\r\n");
const INVALIDATE_PUSH = Buffer.from(">2\r\n$10\r\ninvalidate\r\n");
const INVALIDATE_MESSAGE = Buffer.from("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
const NULL_BY_RESP = { 2: Buffer.from("$-1\r\n"), 3: Buffer.from("_\r\n") } as const;

/**
 * Server-assisted client-side caching (Redis's tracking.c): which clients may cache which keys,
 * and the invalidation messages sent when those keys change. Keys are tracked by client id, so a
 * client's disconnect costs nothing here (ids are dropped lazily, as Redis does).
 */
export class KeyTracking {
  /** key (binary string) → ids of clients that read it. */
  private readonly table = new Map<string, Set<number>>();
  /** BCAST prefix → its clients and the keys modified since the last broadcast (→ modifier). */
  private readonly prefixTable = new Map<string, { clients: Set<Client>; keys: Map<string, Client | null> }>();
  private totalItems = 0;
  trackingClients = 0;
  /** Invalidations for the client running the current command, sent after its reply. */
  private readonly pendingForCurrent: (Buffer | null)[] = [];
  /** A broadcast queued for keys changed outside any command (active expiry, eviction). */
  private broadcastScheduled = false;
  /** `tracking-table-max-keys` (0: no limit); checked after the event-loop turn, as beforeSleep does. */
  private maxKeysValue = 0;
  private limitScheduled = false;
  private limitMisses = 0;

  constructor(private readonly clients: Map<number, Client>) {}

  get active(): boolean {
    return this.trackingClients > 0;
  }

  get keyCount(): number {
    return this.table.size;
  }

  get itemCount(): number {
    return this.totalItems;
  }

  get prefixCount(): number {
    return this.prefixTable.size;
  }

  enable(
    client: Client,
    redirect: number,
    options: Pick<TrackingState, "bcast" | "optin" | "optout" | "noloop">,
    prefixes: string[],
  ): void {
    if (client.tracking === null) this.trackingClients++;
    const previous = client.tracking;
    const state: TrackingState = {
      redirect,
      ...options,
      caching: previous?.caching ?? false,
      brokenRedirect: false,
      prefixes: previous?.prefixes ?? [],
    };
    client.tracking = state;
    if (options.bcast) {
      for (const p of prefixes.length === 0 ? [""] : prefixes) {
        let entry = this.prefixTable.get(p);
        if (entry === undefined) this.prefixTable.set(p, (entry = { clients: new Set(), keys: new Map() }));
        if (!entry.clients.has(client)) {
          entry.clients.add(client);
          state.prefixes.push(p);
        }
      }
    }
  }

  disable(client: Client): void {
    const state = client.tracking;
    if (state === null) return;
    for (const p of state.prefixes) {
      const entry = this.prefixTable.get(p);
      entry?.clients.delete(client);
      if (entry !== undefined && entry.clients.size === 0) this.prefixTable.delete(p);
    }
    client.tracking = null;
    this.trackingClients--;
  }

  /** Redis's `checkPrefixCollisionsOrReply`: the error text, or null when the prefixes are fine. */
  prefixCollision(client: Client, prefixes: string[]): string | null {
    const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    for (let i = 0; i < prefixes.length; i++) {
      const p = prefixes[i]!;
      for (const existing of client.tracking?.prefixes ?? []) {
        if (overlaps(existing, p)) {
          return `ERR Prefix '${p}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(p, prefixes[j]!)) {
          return `ERR Prefix '${p}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return null;
  }

  get maxKeys(): number {
    return this.maxKeysValue;
  }

  set maxKeys(value: number) {
    this.maxKeysValue = value;
    if (value !== 0 && this.table.size > value) this.scheduleLimit();
  }

  /** After a read-only command: remember the keys it read for this client (not in BCAST mode). */
  rememberKeys(client: Client, keys: readonly Uint8Array[]): void {
    const state = client.tracking;
    if (state === null || state.bcast) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    for (const view of keys) {
      const key = Buffer.from(view.buffer, view.byteOffset, view.length).toString("latin1");
      let ids = this.table.get(key);
      if (ids === undefined) this.table.set(key, (ids = new Set()));
      if (!ids.has(client.id)) {
        ids.add(client.id);
        this.totalItems++;
      }
    }
    if (this.maxKeysValue !== 0 && this.table.size > this.maxKeysValue) this.scheduleLimit();
  }

  /**
   * Redis's `trackingLimitUsedSlots`: over `tracking-table-max-keys`, keys leave the table (oldest
   * first where Redis walks at random) and their clients get an invalidation, as if they changed.
   * The effort grows while the table stays over the limit.
   */
  limitUsedSlots(): void {
    const max = this.maxKeysValue;
    if (max === 0 || this.table.size <= max) {
      this.limitMisses = 0;
      return;
    }
    let effort = 100 * (this.limitMisses + 1);
    for (const key of this.table.keys()) {
      if (effort-- <= 0) break;
      this.invalidateTracked(null, key);
      if (this.table.size <= max) {
        this.limitMisses = 0;
        return;
      }
    }
    this.limitMisses++;
    this.scheduleLimit();
  }

  private scheduleLimit(): void {
    if (this.limitScheduled) return;
    this.limitScheduled = true;
    setImmediate(() => {
      this.limitScheduled = false;
      this.limitUsedSlots();
    });
  }

  /** Redis's `trackingInvalidateKey`: `key` changed, by `current` (null for expiry and eviction). */
  invalidateKey(current: Client | null, view: Uint8Array): void {
    const key = Buffer.from(view.buffer, view.byteOffset, view.length).toString("latin1");
    if (this.prefixTable.size > 0) {
      let matched = false;
      for (const [prefix, entry] of this.prefixTable) {
        if (key.startsWith(prefix)) {
          entry.keys.set(key, current);
          matched = true;
        }
      }
      // Commands' changes go out after their batch; a timer's would wait for the next request,
      // where Redis broadcasts in every beforeSleep.
      if (matched && current === null) this.scheduleBroadcast();
    }
    this.invalidateTracked(current, key);
  }

  /** Invalidates `key` for the clients whose table entries hold it, and drops the entry. */
  private invalidateTracked(current: Client | null, key: string): void {
    const ids = this.table.get(key);
    if (ids === undefined) return;
    const payload = Buffer.concat([Buffer.from("*1\r\n"), bulk(Buffer.from(key, "latin1"))]);
    for (const id of ids) {
      const target = this.clients.get(id);
      if (target === undefined || target.tracking === null || target.tracking.bcast) continue;
      if (target.tracking.noloop && target === current) continue;
      if (target === current) this.pendingForCurrent.push(payload);
      else this.send(target, payload);
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
  }

  /** Redis's `trackingInvalidateKeysOnFlush`: a null invalidation means "every key". */
  invalidateAll(current: Client | null): void {
    if (this.trackingClients > 0) {
      for (const c of this.clients.values()) {
        if (c.tracking === null) continue;
        if (c === current) this.pendingForCurrent.push(null);
        else this.send(c, NULL_BY_RESP[c.resp]);
      }
    }
    this.table.clear();
    this.totalItems = 0;
  }

  /** Sends what the running command's own client must get after its reply. */
  flushPendingFor(client: Client): void {
    if (this.pendingForCurrent.length === 0) return;
    for (const payload of this.pendingForCurrent) {
      if (!client.closed && client.tracking !== null) this.send(client, payload ?? NULL_BY_RESP[client.resp]);
    }
    this.pendingForCurrent.length = 0;
  }

  /** Redis's `trackingBroadcastInvalidationMessages`, run once per event-loop turn. */
  broadcast(): void {
    for (const entry of this.prefixTable.values()) {
      if (entry.keys.size === 0) continue;
      const all = broadcastPayload(entry.keys, null);
      for (const c of entry.clients) {
        const payload = c.tracking?.noloop ? broadcastPayload(entry.keys, c) : all;
        if (payload !== null) this.send(c, payload);
      }
      entry.keys.clear();
    }
  }

  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    setImmediate(() => {
      this.broadcastScheduled = false;
      if (this.hasBroadcastWork) this.broadcast();
    });
  }

  get hasBroadcastWork(): boolean {
    for (const entry of this.prefixTable.values()) if (entry.keys.size > 0) return true;
    return false;
  }

  /** Redis's `sendTrackingMessage`: to the client, or to its redirect target. */
  private send(client: Client, payload: Buffer): void {
    const state = client.tracking;
    if (state === null) return;
    let target = client;
    if (state.redirect !== 0) {
      const redirected = this.clients.get(state.redirect);
      if (redirected === undefined) {
        state.brokenRedirect = true;
        if (client.resp === 3) {
          client.deliver(
            Buffer.concat([
              Buffer.from(">2\r\n$21\r\ntracking-redir-broken\r\n"),
              Buffer.from(`:${state.redirect}\r\n`),
            ]),
          );
        }
        return;
      }
      target = redirected;
    }
    if (target.resp === 3) target.deliver(Buffer.concat([INVALIDATE_PUSH, payload]));
    else if (target !== client && target.subscriptionCount() > 0)
      target.deliver(Buffer.concat([INVALIDATE_MESSAGE, payload]));
  }
}

/** The array of keys in a BCAST batch, without those `exclude` changed itself (NOLOOP). */
function broadcastPayload(keys: Map<string, Client | null>, exclude: Client | null): Buffer | null {
  const parts: Buffer[] = [];
  for (const [key, modifier] of keys) {
    if (exclude !== null && modifier === exclude) continue;
    parts.push(bulk(Buffer.from(key, "latin1")));
  }
  if (parts.length === 0) return null;
  return Buffer.concat([Buffer.from(`*${parts.length}\r\n`), ...parts]);
}
