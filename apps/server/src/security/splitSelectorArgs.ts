/**
 * Redis's `sdssplitargs` as `aclCreateSelectorFromOpSet` uses it on the inside of `( … )`:
 * space-separated words, "double quotes" with C escapes and \xHH, 'single quotes' with \'.
 * Unbalanced quotes give no words at all (Redis then creates an empty selector).
 */
export function splitSelectorArgs(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let inDq = false;
    let inSq = false;
    let done = false;
    let cur = "";
    while (!done) {
      if (inDq) {
        if (i >= n) return [];
        const c = line[i]!;
        if (c === "\\" && line[i + 1] === "x" && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "b" ? "\b" : e === "a" ? "\x07" : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return [];
          done = true;
        } else {
          cur += c;
        }
      } else if (inSq) {
        if (i >= n) return [];
        const c = line[i]!;
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return [];
          done = true;
        } else {
          cur += c;
        }
      } else if (i >= n) {
        done = true;
      } else {
        const c = line[i]!;
        if (c === " " || c === "\n" || c === "\r" || c === "\t") done = true;
        else if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}
