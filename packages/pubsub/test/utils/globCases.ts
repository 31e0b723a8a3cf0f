/**
 * Deterministic random glob patterns and subjects over an alphabet dense in the characters the
 * matcher treats specially, for comparing against redis-server (`KEYS`, `COMMAND LIST FILTERBY
 * PATTERN`). Strings are latin1: one char per byte.
 */

/** mulberry32: small, seedable, good enough to spread test cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECT_ALPHABET = [
  "a",
  "b",
  "c",
  "A",
  "B",
  "-",
  "]",
  "[",
  "^",
  "\\",
  "*",
  "?",
  "z",
  "\x00",
  "\x80",
  "\xff",
  "|",
];
const PATTERN_EXTRA = [
  "*",
  "*",
  "?",
  "[",
  "]",
  "^",
  "-",
  "\\",
  "[a-c]",
  "[^b]",
  "[z-a]",
  "[\\]]",
  "[\x80-a]",
  "[a-\xff]",
  "[^\x00-\x80]",
  "[B-a]",
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function randomSubjects(random: () => number, count: number, maxLength: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) {
    const length = Math.floor(random() * (maxLength + 1));
    let s = "";
    for (let i = 0; i < length; i++) s += pick(random, SUBJECT_ALPHABET);
    seen.add(s);
  }
  return [...seen];
}

export function randomPatterns(
  random: () => number,
  count: number,
  maxParts: number,
  literals = SUBJECT_ALPHABET,
): string[] {
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const parts = 1 + Math.floor(random() * maxParts);
    let p = "";
    for (let i = 0; i < parts; i++) p += random() < 0.45 ? pick(random, PATTERN_EXTRA) : pick(random, literals);
    out.push(p);
  }
  return out;
}

/** Recorded redis-server answers: for each pattern, the indexes of the subjects it matched. */
export interface GlobFixture {
  readonly redisVersion: string;
  readonly keys: { readonly subjects: string[]; readonly cases: [pattern: string, matches: number[]][] };
  readonly nocase: { readonly subjects: string[]; readonly cases: [pattern: string, matches: number[]][] };
}

function randomCase(random: () => number, c: string): string {
  return random() < 0.5 ? c.toUpperCase() : c.toLowerCase();
}

/**
 * Patterns derived from real subjects (command names) with random case, wildcards, classes,
 * ranges (including ranges whose ends differ in case) and escapes, so most of them match
 * something and nocase folding is exercised everywhere.
 */
export function mutatedPatterns(random: () => number, subjects: readonly string[], count: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const subject = pick(random, subjects);
    let p = "";
    for (const c of subject) {
      const r = random();
      if (r < 0.45) p += randomCase(random, c);
      else if (r < 0.52) p += "?";
      else if (r < 0.58) p += "*";
      else if (r < 0.64) p += `[${randomCase(random, c)}${pick(random, ["x", "Q", "|", ""])}]`;
      else if (r < 0.69) p += `[^${randomCase(random, pick(random, ["a", "e", "s", c]))}]`;
      else if (r < 0.76)
        p += `[${randomCase(random, pick(random, ["a", "c", "m"]))}-${randomCase(random, pick(random, ["e", "s", "z", "|"]))}]`;
      else if (r < 0.82) p += `\\${randomCase(random, c)}`;
      else if (r < 0.86) p += `[\\${randomCase(random, c)}]`;
      else if (r < 0.9) continue;
      else p += randomCase(random, c) + pick(random, ["*", "?", "[", "]", "-"]);
    }
    out.push(p);
  }
  return out;
}
