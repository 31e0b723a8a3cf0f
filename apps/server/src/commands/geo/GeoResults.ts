/**
 * The matches of one geo search (Redis's `geoArray` of `geoPoint`): coordinates, distance,
 * score and member bytes in reused typed arrays — no JS object per point. Members are copied
 * out of the zset (a STORE may overwrite the source). Sorting permutes {@link order}, by
 * distance, as Redis does: a full sort is glibc's stable merge sort, a partial one (COUNT below
 * the matches) Redis's `pqsort`, whose unstable order among equal distances is reproduced.
 */
export class GeoResults {
  used = 0;
  longitude = new Float64Array(64);
  latitude = new Float64Array(64);
  distance = new Float64Array(64);
  score = new Float64Array(64);
  memberOff = new Int32Array(64);
  memberLen = new Int32Array(64);
  /** The points' positions in reply order. */
  order = new Int32Array(64);
  bytes = new Uint8Array(4096);
  private bytesUsed = 0;

  /** Empties the vector, dropping arrays a huge search grew. */
  reset(): void {
    this.used = 0;
    this.bytesUsed = 0;
    if (this.longitude.length > 65536) this.resize(64);
    if (this.bytes.length > 1 << 22) this.bytes = new Uint8Array(4096);
  }

  /** `geoArrayAppend` */
  append(
    longitude: number,
    latitude: number,
    distance: number,
    score: number,
    buf: Uint8Array,
    off: number,
    len: number,
  ): void {
    const i = this.used;
    if (i === this.longitude.length) this.resize(i * 2);
    if (this.bytesUsed + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.bytesUsed + len));
      grown.set(this.bytes.subarray(0, this.bytesUsed));
      this.bytes = grown;
    }
    const bytes = this.bytes;
    const at = this.bytesUsed;
    if (len <= 64) for (let k = 0; k < len; k++) bytes[at + k] = buf[off + k]!;
    else bytes.set(buf.subarray(off, off + len), at);
    this.memberOff[i] = this.bytesUsed;
    this.memberLen[i] = len;
    this.bytesUsed += len;
    this.longitude[i] = longitude;
    this.latitude[i] = latitude;
    this.distance[i] = distance;
    this.score[i] = score;
    this.order[i] = i;
    this.used = i + 1;
  }

  private resize(capacity: number): void {
    const n = Math.min(this.used, capacity);
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, n));
      return b;
    };
    const f64 = (k: number) => new Float64Array(k);
    const i32 = (k: number) => new Int32Array(k);
    this.longitude = grow(this.longitude, f64);
    this.latitude = grow(this.latitude, f64);
    this.distance = grow(this.distance, f64);
    this.score = grow(this.score, f64);
    this.memberOff = grow(this.memberOff, i32);
    this.memberLen = grow(this.memberLen, i32);
    this.order = grow(this.order, i32);
  }

  /**
   * Orders the first `wanted` points by distance (`descending`: farthest first): glibc's
   * `qsort` (a stable merge sort) when all are wanted, else `pqsort(…, 0, wanted - 1)`.
   */
  sort(descending: boolean, wanted: number): void {
    const n = this.used;
    const sign = descending ? -1 : 1;
    if (wanted === n) {
      const dist = this.distance;
      const sorted = Array.from(this.order.subarray(0, n)).sort((a, b) => {
        const c = compare(dist[a]!, dist[b]!) * sign;
        return c !== 0 ? c : a - b; // stable: the order found
      });
      this.order.set(sorted);
    } else {
      this.sign = sign;
      this.pqsort(0, n, 0, wanted - 1);
    }
  }

  private sign = 1;

  /** `sort_gp_asc` / `sort_gp_desc` on the points at order positions `i` and `j`. */
  private cmp(i: number, j: number): number {
    return compare(this.distance[this.order[i]!]!, this.distance[this.order[j]!]!) * this.sign;
  }

  private swap(i: number, j: number): void {
    const o = this.order;
    const t = o[i]!;
    o[i] = o[j]!;
    o[j] = t;
  }

  private vecswap(i: number, j: number, n: number): void {
    for (let k = 0; k < n; k++) this.swap(i + k, j + k);
  }

  private med3(a: number, b: number, c: number): number {
    return this.cmp(a, b) < 0
      ? this.cmp(b, c) < 0
        ? b
        : this.cmp(a, c) < 0
          ? c
          : a
      : this.cmp(b, c) > 0
        ? b
        : this.cmp(a, c) < 0
          ? a
          : c;
  }

  /** pqsort.c's `_pqsort` over order positions [a, a + n), sorting at least [lo, hi]. */
  private pqsort(a: number, n: number, lo: number, hi: number): void {
    for (;;) {
      if (n < 7) {
        for (let pm = a + 1; pm < a + n; pm++) {
          for (let pl = pm; pl > a && this.cmp(pl - 1, pl) > 0; pl--) this.swap(pl, pl - 1);
        }
        return;
      }
      let pm = a + (n >>> 1);
      if (n > 7) {
        let pl = a;
        let pn = a + n - 1;
        if (n > 40) {
          const d = n >>> 3;
          pl = this.med3(pl, pl + d, pl + 2 * d);
          pm = this.med3(pm - d, pm, pm + d);
          pn = this.med3(pn - 2 * d, pn - d, pn);
        }
        pm = this.med3(pl, pm, pn);
      }
      this.swap(a, pm);
      let pa = a + 1;
      let pb = pa;
      let pc = a + n - 1;
      let pd = pc;
      for (;;) {
        let c = 0;
        while (pb <= pc && (c = this.cmp(pb, a)) <= 0) {
          if (c === 0) this.swap(pa++, pb);
          pb++;
        }
        while (pb <= pc && (c = this.cmp(pc, a)) >= 0) {
          if (c === 0) this.swap(pc, pd--);
          pc--;
        }
        if (pb > pc) break;
        this.swap(pb++, pc--);
      }
      const pn = a + n;
      let r = Math.min(pa - a, pb - pa);
      this.vecswap(a, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      this.vecswap(pb, pn - r, r);
      r = pb - pa;
      if (r > 1 && !outside(a, r, lo, hi)) this.pqsort(a, r, lo, hi);
      r = pd - pc;
      if (r <= 1) return;
      a = pn - r;
      n = r;
      if (outside(a, n, lo, hi)) return;
    }
  }
}

/** True when the wanted range [lo, hi] lies wholly before or after positions [a, a + n). */
function outside(a: number, n: number, lo: number, hi: number): boolean {
  return (lo < a && hi < a) || (lo >= a + n && hi >= a + n);
}

/** `sort_gp_asc`: by distance (equal compares 0). */
function compare(a: number, b: number): number {
  return a > b ? 1 : a === b ? 0 : -1;
}
