/**
 * The latency histogram Redis keeps per command (`hdr_init(1, 1e9, 2, …)`): HdrHistogram's
 * log-linear buckets, 1 ns to 1 s with two significant digits, so every reported value (INFO
 * latencystats percentiles, LATENCY HISTOGRAM buckets) is the same bucket bound Redis prints.
 *
 * Layout as in hdr_histogram.c with lowest value 1, highest 1e9 and 2 significant figures:
 * 256 sub-buckets (values 0–255 exact), then 23 buckets of 128 slots each doubling in width;
 * 3072 counters in one Float64Array (counts may pass 2^32 on a long-lived server).
 */
export class HdrHistogram {
  /** Smallest and largest values recorded; others are clamped, as Redis does. */
  static readonly MIN_VALUE = 1;
  static readonly MAX_VALUE = 1_000_000_000;

  readonly counts = new Float64Array(COUNTS_LEN);
  totalCount = 0;

  /** Records one value in nanoseconds (clamped to 1 ns – 1 s). */
  record(valueNs: number): void {
    let v = Math.floor(valueNs);
    if (v < HdrHistogram.MIN_VALUE) v = HdrHistogram.MIN_VALUE;
    else if (v > HdrHistogram.MAX_VALUE) v = HdrHistogram.MAX_VALUE;
    this.counts[countsIndexFor(v)]! += 1;
    this.totalCount++;
  }

  reset(): void {
    this.counts.fill(0);
    this.totalCount = 0;
  }

  /**
   * hdr_value_at_percentile: the highest value equivalent to the one at `percentile` (the
   * lowest for percentile 0). 0 for an empty histogram.
   */
  valueAtPercentile(percentile: number): number {
    const requested = percentile < 100 ? percentile : 100;
    let countAt = Math.floor((requested / 100) * this.totalCount + 0.5);
    if (countAt < 1) countAt = 1;
    if (countAt > this.totalCount) countAt = this.totalCount;
    let seen = 0;
    let value = 0;
    for (let i = 0; i < COUNTS_LEN && seen < countAt; i++) {
      seen += this.counts[i]!;
      value = valueAtIndex(i);
    }
    return percentile === 0 ? lowestEquivalentValue(value) : highestEquivalentValue(value);
  }

  /**
   * LATENCY HISTOGRAM's buckets: HdrHistogram's logarithmic iteration from 1024 ns doubling,
   * each step reported as (highest equivalent value of the step in µs, cumulative count) and
   * only where the cumulative count grew (Redis's `fillCommandCDF`).
   */
  cumulativeBuckets(): { usec: number; count: number }[] {
    const out: { usec: number; count: number }[] = [];
    let level = 1024;
    let cumulative = 0;
    let previous = 0;
    let index = -1;
    let value = 0;
    while (cumulative < this.totalCount) {
      // Advance until the current index reaches the reporting level (log_iter_next).
      const levelLowest = lowestEquivalentValue(level);
      while (value < levelLowest && index + 1 < COUNTS_LEN) {
        index++;
        cumulative += this.counts[index]!;
        value = valueAtIndex(index);
      }
      if (cumulative > previous) {
        out.push({ usec: Math.floor(highestEquivalentValue(value) / 1000), count: cumulative });
      }
      previous = cumulative;
      level *= 2;
      if (index + 1 >= COUNTS_LEN) break;
    }
    return out;
  }
}

// hdr_calculate_bucket_config(1, 1e9, 2): sub_bucket_count 256, half 128, unit magnitude 0.
const SUB_BUCKET_COUNT = 256;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
const BUCKET_COUNT = 23;
const COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

/** Values here stay below 2^31, so 32-bit arithmetic is exact. */
function bucketIndexOf(value: number): number {
  const pow2ceiling = 32 - Math.clz32(value | SUB_BUCKET_MASK);
  return pow2ceiling - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

function countsIndexFor(value: number): number {
  const bucket = bucketIndexOf(value);
  const sub = value >>> bucket;
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + sub - SUB_BUCKET_HALF_COUNT;
}

function valueAtIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

function lowestEquivalentValue(value: number): number {
  const bucket = bucketIndexOf(value);
  return (value >>> bucket) * 2 ** bucket;
}

function sizeOfEquivalentRange(value: number): number {
  const bucket = bucketIndexOf(value);
  const sub = value >>> bucket;
  return 2 ** (sub >= SUB_BUCKET_COUNT ? bucket + 1 : bucket);
}

function highestEquivalentValue(value: number): number {
  return lowestEquivalentValue(value) + sizeOfEquivalentRange(value) - 1;
}
