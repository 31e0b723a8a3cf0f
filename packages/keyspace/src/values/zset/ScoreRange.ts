/** A score interval of ZRANGEBYSCORE and friends (Redis's `zrangespec`); reuse one per call site. */
export class ScoreRange {
  min = 0;
  max = 0;
  /** Exclusive bounds (`(`). */
  minex = false;
  maxex = false;

  set(min: number, minex: boolean, max: number, maxex: boolean): this {
    this.min = min;
    this.minex = minex;
    this.max = max;
    this.maxex = maxex;
    return this;
  }

  /** `zslValueGteMin` */
  gteMin(value: number): boolean {
    return this.minex ? value > this.min : value >= this.min;
  }

  /** `zslValueLteMax` */
  lteMax(value: number): boolean {
    return this.maxex ? value < this.max : value <= this.max;
  }

  /** True when no score can be in the range. */
  isEmpty(): boolean {
    return this.min > this.max || (this.min === this.max && (this.minex || this.maxex));
  }
}
