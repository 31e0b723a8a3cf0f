/**
 * Redis 7.0's multi-part AOF manifest (`aof.c`): one line per file,
 * `file <name> seq <n> type <b|h|i>`, the base first, then history, then the incremental files
 * in increasing sequence. Names follow `<appendfilename>.<seq>.base.rdb|aof` and
 * `<appendfilename>.<seq>.incr.aof`; the manifest is `<appendfilename>.manifest`.
 */
export type AofFileType = "b" | "h" | "i";

export interface AofFileInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

export interface AofManifest {
  base: AofFileInfo | null;
  history: AofFileInfo[];
  incr: AofFileInfo[];
  /** Highest sequence numbers used (the next files take the following ones). */
  baseSeq: number;
  incrSeq: number;
}

/** A manifest Redis would refuse at start-up, with its message (`aofLoadManifestFromFile`). */
export class AofManifestError extends Error {
  constructor(
    readonly reason: string,
    readonly lineNumber: number,
    readonly line: string | null,
  ) {
    super(reason);
  }
}

export function emptyManifest(): AofManifest {
  return { base: null, history: [], incr: [], baseSeq: 0, incrSeq: 0 };
}

export const manifestName = (appendFilename: string): string => `${appendFilename}.manifest`;
export const baseFileName = (appendFilename: string, seq: number, rdb: boolean): string =>
  `${appendFilename}.${seq}.base.${rdb ? "rdb" : "aof"}`;
export const incrFileName = (appendFilename: string, seq: number): string => `${appendFilename}.${seq}.incr.aof`;

const MANIFEST_MAX_LINE = 1024;

/** Parses a manifest's text as Redis does; throws {@link AofManifestError} with Redis's messages. */
export function parseManifest(text: string): AofManifest {
  const m = emptyManifest();
  const lines = text.split("\n");
  // A final "\n" leaves an empty last piece that is not a line.
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new AofManifestError("Found an empty AOF manifest", 0, null);
  let maxSeq = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNumber = i + 1;
    if (raw.startsWith("#")) continue;
    if (raw.length + 1 > MANIFEST_MAX_LINE)
      throw new AofManifestError("The AOF manifest file contains too long line", lineNumber, null);
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    const fail = (reason: string): never => {
      throw new AofManifestError(reason, lineNumber, line);
    };
    if (line.length === 0) fail("Invalid AOF manifest file format");
    const argv = splitManifestArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) return fail("Invalid AOF manifest file format");
    let name: string | null = null;
    let seq = 0;
    let type = "";
    for (let j = 0; j < argv.length; j += 2) {
      const key = argv[j]!.toLowerCase();
      const value = argv[j + 1]!;
      if (key === "file") {
        name = value;
        if (name.includes("/")) fail("File can't be a path, just a filename");
      } else if (key === "seq") seq = Number.parseInt(value, 10) || 0;
      else if (key === "type") type = value.charAt(0);
    }
    if (name === null || seq === 0 || type === "") return fail("Invalid AOF manifest file format");
    const info: AofFileInfo = { name, seq, type: type as AofFileType };
    if (type === "b") {
      if (m.base !== null) fail("Found duplicate base file information");
      m.base = info;
      m.baseSeq = seq;
    } else if (type === "h") m.history.push(info);
    else if (type === "i") {
      if (seq <= maxSeq) fail("Found a non-monotonic sequence number");
      m.incr.push(info);
      m.incrSeq = seq;
      maxSeq = seq;
    } else fail("Unknown AOF file type");
  }
  return m;
}

/** The manifest's text, as Redis's `getAofManifestAsString`. */
export function formatManifest(m: AofManifest): string {
  let out = "";
  const line = (f: AofFileInfo) => `file ${quoteIfNeeded(f.name)} seq ${f.seq} type ${f.type}\n`;
  if (m.base !== null) out += line(m.base);
  for (const f of m.history) out += line(f);
  for (const f of m.incr) out += line(f);
  return out;
}

/** Redis's sdssplitargs for manifest lines: words, "double" or 'single' quoted. */
function splitManifestArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const quote = line[i];
    if (quote === '"' || quote === "'") {
      let word = "";
      i++;
      for (;;) {
        if (i >= line.length) return null;
        const c = line[i]!;
        if (c === quote) {
          i++;
          break;
        }
        if (c === "\\" && quote === '"' && i + 1 < line.length) {
          const n = line[i + 1]!;
          if (n === "x" && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            word += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          word += ({ n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" } as Record<string, string>)[n] ?? n;
          i += 2;
          continue;
        }
        word += c;
        i++;
      }
      out.push(word);
    } else {
      let start = i;
      while (i < line.length && !/\s/.test(line[i]!)) i++;
      out.push(line.slice(start, i));
      start = i;
    }
  }
  return out;
}

function quoteIfNeeded(name: string): string {
  if (!/[^\x21-\x7e]|["'\\]/.test(name)) return name;
  let out = '"';
  for (const c of name) {
    const code = c.charCodeAt(0);
    if (c === "\\" || c === '"') out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || code > 0x7e) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return `${out}"`;
}
