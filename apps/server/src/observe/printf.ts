/**
 * C's `%.<digits>f` as glibc prints it: the exact binary value rounded half to even. JS's
 * `toFixed` rounds exact ties away from zero (0.125 → "0.13" where C prints "0.12"), which
 * shows in ratios Redis prints with `%.2f`.
 */
export function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  const plain = value.toFixed(digits);
  // A tie needs the exact expansion to read "…5000…" right after the kept digits.
  const exact = value.toFixed(Math.min(100, digits + 60));
  const point = exact.indexOf(".");
  const end = digits === 0 ? point : point + 1 + digits;
  if (!/^50*$/.test(exact.slice(point + 1 + digits))) return plain;
  const kept = exact.slice(0, end);
  // Even last digit: the tie rounds down (truncate); odd: toFixed already rounded away.
  return (kept.charCodeAt(kept.length - 1) - 48) % 2 === 0 ? kept : plain;
}
