import type { Client } from "../net/Client.js";

/**
 * The blocked clients that have a deadline, earliest first (Redis's timeout radix tree): a
 * binary min-heap of (deadline, client, block seq) with lazy deletion — an entry whose client
 * was unblocked (its `blocked.seq` moved on) is dropped when it reaches the top. One timer for
 * all of them is armed by the owner at {@link earliest}.
 */
export class TimeoutHeap {
  private deadlines: number[] = [];
  private clients: Client[] = [];
  private seqs: number[] = [];

  get size(): number {
    return this.deadlines.length;
  }

  push(deadline: number, client: Client, seq: number): void {
    const d = this.deadlines;
    const c = this.clients;
    const s = this.seqs;
    let i = d.length;
    d.push(deadline);
    c.push(client);
    s.push(seq);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (d[parent]! <= deadline) break;
      d[i] = d[parent]!;
      c[i] = c[parent]!;
      s[i] = s[parent]!;
      i = parent;
    }
    d[i] = deadline;
    c[i] = client;
    s[i] = seq;
  }

  /** The earliest live deadline, or 0 when none (stale tops are dropped). */
  earliest(): number {
    while (this.deadlines.length > 0) {
      const client = this.clients[0]!;
      if (client.blocked !== null && client.blocked.seq === this.seqs[0]) return this.deadlines[0]!;
      this.pop();
    }
    return 0;
  }

  /** Removes and returns the top client if its deadline is ≤ `now` and it still waits, else null. */
  popExpired(now: number): Client | null {
    const deadline = this.earliest();
    if (deadline === 0 || deadline > now) return null;
    const client = this.clients[0]!;
    this.pop();
    return client;
  }

  clear(): void {
    this.deadlines = [];
    this.clients = [];
    this.seqs = [];
  }

  private pop(): void {
    const d = this.deadlines;
    const c = this.clients;
    const s = this.seqs;
    const lastD = d.pop()!;
    const lastC = c.pop()!;
    const lastS = s.pop()!;
    const n = d.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && d[r]! < d[l]! ? r : l;
      if (d[m]! >= lastD) break;
      d[i] = d[m]!;
      c[i] = c[m]!;
      s[i] = s[m]!;
      i = m;
    }
    d[i] = lastD;
    c[i] = lastC;
    s[i] = lastS;
  }
}
