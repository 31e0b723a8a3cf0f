import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatch, globMatchRange, globMatchString } from "../src/globMatch.js";
import type { GlobFixture } from "./utils/globCases.js";
import { bytesOf } from "./utils/resp.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/redis-glob.json", import.meta.url), "utf8")) as GlobFixture;

function matchedIndexes(subjects: readonly string[], match: (subject: string) => boolean): number[] {
  return subjects.flatMap((subject, i) => (match(subject) ? [i] : []));
}

/** Places `bytes` inside a larger buffer with junk around it, to prove ranges are respected. */
function embedded(bytes: Uint8Array): { buffer: Uint8Array; start: number; end: number } {
  const buffer = new Uint8Array(bytes.length + 6).fill(0x2a); // '*' padding would change any overrun
  buffer.set(bytes, 3);
  return { buffer, start: 3, end: 3 + bytes.length };
}

describe("globMatch agrees with redis-server 7.0.15 (recorded answers)", () => {
  it("was recorded from the Redis version we target", () => {
    expect(fixture.redisVersion).toMatch(/^7\.0\./);
    expect(fixture.keys.cases.length).toBeGreaterThan(500);
  });

  it("matches what KEYS matched, on strings, bytes and byte ranges", () => {
    const { subjects, cases } = fixture.keys;
    const subjectBytes = subjects.map(bytesOf);
    for (const [pattern, expected] of cases) {
      const patternBytes = bytesOf(pattern);
      const p = embedded(patternBytes);
      expect(
        matchedIndexes(subjects, (s) => globMatchString(pattern, s)),
        pattern,
      ).toEqual(expected);
      expect(
        subjectBytes.flatMap((s, i) => (globMatch(patternBytes, s) ? [i] : [])),
        pattern,
      ).toEqual(expected);
      const inRange = subjectBytes.flatMap((s, i) => {
        const e = embedded(s);
        return globMatchRange(p.buffer, p.start, p.end, e.buffer, e.start, e.end) ? [i] : [];
      });
      expect(inRange, pattern).toEqual(expected);
    }
  });

  it("matches what COMMAND LIST FILTERBY PATTERN matched, case-insensitively", () => {
    const { subjects, cases } = fixture.nocase;
    for (const [pattern, expected] of cases) {
      expect(
        matchedIndexes(subjects, (s) => globMatchString(pattern, s, true)),
        pattern,
      ).toEqual(expected);
      expect(
        matchedIndexes(subjects, (s) => globMatch(bytesOf(pattern), bytesOf(s), true)),
        pattern,
      ).toEqual(expected);
    }
  });
});

describe("globMatch edge cases checked by hand with redis-cli KEYS", () => {
  // [pattern, subject, matches] — all latin1; verified against redis-server 7.0.15.
  const cases: [string, string, boolean][] = [
    ["[a-\xff]", "-", true], // signed chars: the range is -1..97
    ["[a-\xff]", "a", true],
    ["[a-\xff]", "\xff", true],
    ["[a-\xff]", "b", false],
    ["[a-\xff]", "\x80", false],
    ["[\x80-a]", "\x80", true],
    ["[\x80-a]", "\xff", true],
    ["[\x80-a]", "b", false],
    ["[a-]", "]", true], // `]` closes the range, not the class
    ["[a-]", "^", true],
    ["[a-]", "b", false],
    ["[^a", "b", true], // unterminated class runs to the end of the pattern
    ["[^a", "a", false],
    ["[^", "x", true],
    ["[", "[", false],
    ["*", "", false], // the matcher never matches an empty subject with `*`
    ["?*", "x", true],
    ["", "", true],
    ["a\\", "a\\", true], // a trailing backslash is literal
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["[\\]]", "]", true],
    ["[z-a]", "m", true],
    ["h?llo", "hello", true],
    ["h*llo", "heeeello", true],
    ["h[ae]llo", "hallo", true],
    ["h[^e]llo", "hello", false],
    ["h[a-b]llo", "hbllo", true],
  ];
  for (const [pattern, subject, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? "matches" : "does not match"} ${JSON.stringify(subject)}`, () => {
      expect(globMatchString(pattern, subject)).toBe(expected);
      expect(globMatch(bytesOf(pattern), bytesOf(subject))).toBe(expected);
    });
  }

  it("folds only ASCII letters in nocase mode, and never inside a bracket escape", () => {
    expect(globMatchString("HELLO", "hello", true)).toBe(true);
    expect(globMatchString("HELLO", "hello")).toBe(false);
    expect(globMatchString("[A-C]", "b", true)).toBe(true);
    expect(globMatchString("[\\A]", "a", true)).toBe(false);
    expect(globMatch(bytesOf("\xc0"), bytesOf("\xe0"), true)).toBe(false);
  });
});

describe("globMatch guards against abusive patterns like Redis", () => {
  it("gives up beyond 1000 nested stars (redis KEYS: *a x1000 matches, x1001 never does)", () => {
    expect(globMatchString("*a".repeat(1000), "a".repeat(1000))).toBe(true);
    expect(globMatchString("*a".repeat(1001), "a".repeat(1001))).toBe(false);
    expect(globMatch(bytesOf("*a".repeat(1001)), bytesOf("a".repeat(1200)))).toBe(false);
  });

  it("stops retrying earlier stars once the rest of the pattern matched nowhere (CVE-2022-36021)", () => {
    // Without the skipLongerMatches short-cut this is ~C(60,30) attempts; with it, instant.
    const started = performance.now();
    expect(globMatchString(`${"a*".repeat(30)}b`, "a".repeat(60))).toBe(false);
    expect(globMatch(bytesOf(`${"a*".repeat(30)}b`), bytesOf("a".repeat(60)))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("globMatch properties", () => {
  const latin1String = fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
    maxLength: 12,
  });
  const globish = fc.string({
    unit: fc.constantFrom("a", "b", "A", "*", "?", "[", "]", "^", "-", "\\", "\x80", "\xff"),
    maxLength: 10,
  });

  it("string and byte matchers agree on every input", () => {
    fc.assert(
      fc.property(globish, latin1String, fc.boolean(), (pattern, subject, nocase) => {
        expect(globMatch(bytesOf(pattern), bytesOf(subject), nocase)).toBe(globMatchString(pattern, subject, nocase));
      }),
      { numRuns: 3_000 },
    );
  });

  it("an escaped literal pattern matches exactly its own text", () => {
    fc.assert(
      fc.property(latin1String, latin1String, (text, other) => {
        const escaped = [...text].map((c) => `\\${c}`).join("");
        expect(globMatchString(escaped, text)).toBe(true);
        expect(globMatchString(escaped, other)).toBe(other === text);
      }),
    );
  });

  it("nocase equals lower-casing both sides for patterns of literals, ? and *", () => {
    const simple = fc.string({ unit: fc.constantFrom("a", "B", "c", "*", "?", "\xc0"), maxLength: 8 });
    const subject = fc.string({ unit: fc.constantFrom("A", "b", "C", "\xe0", "\xc0"), maxLength: 8 });
    const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
    fc.assert(
      fc.property(simple, subject, (p, s) => {
        expect(globMatchString(p, s, true)).toBe(globMatchString(lower(p), lower(s)));
      }),
    );
  });

  it("* matches every non-empty subject and prefix* every non-empty extension of the prefix", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "c"), maxLength: 6 }), latin1String, (prefix, rest) => {
        const subject = prefix + rest;
        // Redis never matches the empty subject against a pattern that still has a `*` left.
        expect(globMatchString("*", subject)).toBe(subject.length > 0);
        expect(globMatchString(`${prefix}*`, subject)).toBe(subject.length > 0);
      }),
    );
  });
});
