/**
 * Correctly rounded sin, cos and asin in double-double arithmetic, for the geo distances whose
 * every bit shows (STOREDIST scores) or decides a result (a point on the radius, a distance on a
 * 4-decimal rounding edge). Redis gets these from glibc's libm, which rounds correctly in all but
 * a few cases per thousand; V8's Math.sin/cos/asin (fdlibm) differ from it by an ulp in a few per
 * hundred. These are slow (a Taylor series in double-double), so the searches use Math.* and
 * call here only where the last bit matters.
 */

/** Result registers of the double-double operations (no object per operation). */
let RH = 0;
let RL = 0;

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp split)

/** a * b exactly as RH + RL. */
function twoProd(a: number, b: number): void {
  const p = a * b;
  const ta = SPLITTER * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLITTER * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  RL = ah * bh - p + ah * bl + al * bh + al * bl;
  RH = p;
}

/** a + b exactly as RH + RL. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  RL = a - (s - bb) + (b - bb);
  RH = s;
}

/** Normalizes a + b (|a| ≥ |b|) into RH + RL. */
function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  RL = b - (s - a);
  RH = s;
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  quickTwoSum(RH, RL + (ah * bl + al * bh));
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const s = RH;
  const e = RL;
  twoSum(al, bl);
  const t = RH;
  const f = RL;
  quickTwoSum(s, e + t);
  quickTwoSum(RH, RL + f);
}

/** π/2 as three parts (33, 33 and 53 bits), so k·P1 and k·P2 are exact for small k. */
const P1 = 1.5707963267341256;
const P2 = 6.077100506303966e-11;
const P3 = 2.0222662487959506e-21;
const INV_PIO2 = 0.6366197723675814;

/** 1/n! as double-double (hi, lo) pairs, n = 0..29. */
const INV_FACTORIAL = Float64Array.of(
  1.0,
  0.0,
  1.0,
  0.0,
  0.5,
  0.0,
  0.16666666666666666,
  9.25185853854297e-18,
  0.041666666666666664,
  2.3129646346357427e-18,
  0.008333333333333333,
  1.1564823173178714e-19,
  0.001388888888888889,
  -5.300543954373577e-20,
  0.0001984126984126984,
  1.7209558293420705e-22,
  2.48015873015873e-5,
  2.1511947866775882e-23,
  2.7557319223985893e-6,
  -1.858393274046472e-22,
  2.755731922398589e-7,
  2.3767714622250297e-23,
  2.505210838544172e-8,
  -1.448814070935912e-24,
  2.08767569878681e-9,
  -1.20734505911326e-25,
  1.6059043836821613e-10,
  1.2585294588752098e-26,
  1.1470745597729725e-11,
  2.0655512752830745e-28,
  7.647163731819816e-13,
  7.03872877733453e-30,
  4.779477332387385e-14,
  4.399205485834081e-31,
  2.8114572543455206e-15,
  1.6508842730861433e-31,
  1.5619206968586225e-16,
  1.1910679660273754e-32,
  8.22063524662433e-18,
  2.2141894119604265e-34,
  4.110317623312165e-19,
  1.4412973378659527e-36,
  1.9572941063391263e-20,
  -1.3643503830087908e-36,
  8.896791392450574e-22,
  -7.911402614872376e-38,
  3.868170170630684e-23,
  -8.843177655482344e-40,
  1.6117375710961184e-24,
  -3.6846573564509766e-41,
  6.446950284384474e-26,
  -1.9330404233703465e-42,
  2.4795962632247976e-27,
  -1.2953730964765229e-43,
  9.183689863795546e-29,
  1.4303150396787322e-45,
  3.279889237069838e-30,
  1.5117542744029879e-46,
  1.1309962886447716e-31,
  1.0498015412959506e-47,
);

/**
 * Σ (-1)^k r^(2k+first) / (2k+first)! for the reduced argument r = rh + rl (|r| ≤ π/4):
 * `first` 1 gives sin r, 0 gives cos r; the result in RH + RL.
 */
function series(rh: number, rl: number, first: number): void {
  ddMul(rh, rl, rh, rl);
  const r2h = RH;
  const r2l = RL;
  let n = 28 + first; // the last term (≈ 1e-31 relative at π/4)
  let sh = INV_FACTORIAL[2 * n]!;
  let sl = INV_FACTORIAL[2 * n + 1]!;
  if (((n - first) / 2) % 2 === 1) {
    sh = -sh;
    sl = -sl;
  }
  for (n -= 2; n >= first; n -= 2) {
    ddMul(sh, sl, r2h, r2l);
    const negative = ((n - first) / 2) % 2 === 1;
    const ch = INV_FACTORIAL[2 * n]!;
    const cl = INV_FACTORIAL[2 * n + 1]!;
    ddAdd(RH, RL, negative ? -ch : ch, negative ? -cl : cl);
    sh = RH;
    sl = RL;
  }
  if (first === 1) ddMul(sh, sl, rh, rl);
  else {
    RH = sh;
    RL = sl;
  }
}

/** sin (`cosine` false) or cos of x as RH + RL, for |x| up to a few π. */
function sinCosDD(x: number, cosine: boolean): void {
  const k = Math.round(x * INV_PIO2);
  // x - k·P1 is exact (Sterbenz), k·P2 exact; k·P3 taken exactly too.
  const t = x - k * P1;
  ddAdd(t, 0, -k * P2, 0);
  const ah = RH;
  const al = RL;
  twoProd(k, P3);
  ddAdd(ah, al, -RH, -RL);
  const quadrant = (((k % 4) + 4) % 4) + (cosine ? 1 : 0);
  series(RH, RL, quadrant % 2 === 0 ? 1 : 0);
  if (quadrant === 2 || quadrant === 3) {
    RH = -RH;
    RL = -RL;
  }
}

/** sin(x) correctly rounded. */
export function sinCR(x: number): number {
  if (x === 0 || !Number.isFinite(x) || Math.abs(x) > 1e6) return Math.sin(x);
  sinCosDD(x, false);
  return RH;
}

/** cos(x) correctly rounded. */
export function cosCR(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > 1e6) return Math.cos(x);
  sinCosDD(x, true);
  return RH;
}

/**
 * asin(x) correctly rounded for 0 ≤ x ≤ 1: one Newton step from Math.asin with the residual
 * sin(y0) − x in double-double. Near 1 (antipodal points) the step is ill-conditioned and
 * Math.asin is kept.
 */
export function asinCR(x: number): number {
  const y0 = Math.asin(x);
  if (x === 0 || !(x > 0 && x < 1)) return y0;
  const c = Math.cos(y0);
  if (c < 1e-6) return y0;
  sinCosDD(y0, false);
  ddAdd(RH, RL, -x, 0);
  return y0 - RH / c;
}
