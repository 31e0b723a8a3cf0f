#!/usr/bin/env node
/**
 * Import cycles of one source folder: `node scripts/import-cycles.mjs <srcDir> [--strict]`.
 *
 * Reads every `.ts` file under the folder, takes its static `import … from "./…"` and
 * `export … from "./…"` statements (relative specifiers only: other packages are not part of the
 * folder's graph), and tells type-only imports (`import type`, `export type`, or braces whose
 * every specifier is `type X`) from runtime ones. Tarjan's algorithm then finds the strongly
 * connected groups twice: over all imports, and over runtime imports only. A runtime cycle is a
 * module-evaluation order hazard (a `const` read before its module ran); a type-only cycle is
 * only a reading hazard (no file of the group reads alone).
 *
 * Exits 1 when a runtime cycle exists (with `--strict`, when any cycle exists). Tests import
 * {@link findImportCycles}.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Static import/export-from statements; the specifier list may span lines but holds no `;`. */
const STATEMENT = /(?:^|[\n;])[ \t]*(import|export)\s+([^;]*?)\s*from\s*["'](\.{1,2}\/[^"']+)["']/g;
/** Side-effect imports (`import "./x.js"`): runtime. */
const BARE_IMPORT = /(?:^|[\n;])[ \t]*import\s*["'](\.{1,2}\/[^"']+)["']/g;

/**
 * The import graph of the `.ts` files under `srcDir`.
 *
 * @returns a map from file (relative to `srcDir`, `/`-separated) to its imports, each with
 *   whether it is type-only
 */
export function importGraph(srcDir) {
  const root = resolve(srcDir);
  const files = listSources(root);
  const known = new Set(files);
  /** @type {Map<string, { to: string, typeOnly: boolean }[]>} */
  const graph = new Map();
  for (const file of files) {
    const text = stripComments(readFileSync(join(root, file), "utf8"));
    /** @type {Map<string, boolean>} target → type-only (runtime wins over type when both appear) */
    const edges = new Map();
    const add = (specifier, typeOnly) => {
      const to = resolveSpecifier(file, specifier, known);
      if (to === null || to === file) return;
      edges.set(to, (edges.get(to) ?? true) && typeOnly);
    };
    for (const m of text.matchAll(STATEMENT)) add(m[3], isTypeOnly(m[1], m[2]));
    for (const m of text.matchAll(BARE_IMPORT)) add(m[1], false);
    graph.set(
      file,
      [...edges].map(([to, typeOnly]) => ({ to, typeOnly })),
    );
  }
  return graph;
}

/**
 * Strongly connected groups (more than one file) of `srcDir`'s import graph.
 *
 * @returns `all`: groups over every import; `runtime`: groups over runtime imports only. Each
 *   group's files are sorted; groups are sorted by their first file.
 */
export function findImportCycles(srcDir) {
  const graph = importGraph(srcDir);
  return {
    all: stronglyConnected(graph, () => true),
    runtime: stronglyConnected(graph, (edge) => !edge.typeOnly),
  };
}

/** Tarjan's algorithm over the edges `keep` accepts; only groups of two or more files. */
function stronglyConnected(graph, keep) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const groups = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const edge of graph.get(v) ?? []) {
      if (!keep(edge)) continue;
      const w = edge.to;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function isTypeOnly(keyword, clause) {
  if (/^type\s/.test(clause)) return true; // import type … / export type …
  if (keyword === "export" && clause.startsWith("*")) return false;
  const braces = /^\{([^}]*)\}$/.exec(clause);
  if (braces === null) return false; // a default or namespace import is a runtime binding
  const specifiers = braces[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return specifiers.length > 0 && specifiers.every((s) => /^type\s/.test(s));
}

/** `./x.js` → `x.ts` (or `x/index.ts`) relative to the root; null outside the known files. */
function resolveSpecifier(from, specifier, known) {
  const base = join(dirname(from), specifier).split("\\").join("/");
  const stem = base.replace(/\.(js|mjs|ts|mts)$/, "");
  for (const candidate of [`${stem}.ts`, `${stem}.mts`, `${stem}/index.ts`]) if (known.has(candidate)) return candidate;
  return null;
}

function listSources(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "node_modules") walk(path);
      } else if (/\.m?ts$/.test(name) && !name.endsWith(".d.ts")) {
        out.push(relative(root, path).split("\\").join("/"));
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Drops block comments and whole-line or trailing `//` comments (doc examples must not count). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/[^\n]*/g, "$1");
}

/** Prints the groups of one kind. */
export function formatCycles(title, groups) {
  if (groups.length === 0) return `${title}: none`;
  return [`${title}: ${groups.length}`, ...groups.map((g) => `  (${g.length}) ${g.join(", ")}`)].join("\n");
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const strict = args.includes("--strict");
  const dirs = args.filter((a) => !a.startsWith("--"));
  if (dirs.length === 0) {
    console.error("usage: node scripts/import-cycles.mjs <srcDir>... [--strict]");
    process.exit(2);
  }
  let failed = false;
  for (const dir of dirs) {
    const { all, runtime } = findImportCycles(dir);
    console.log(
      `${dir}\n${formatCycles("cycles counting type-only imports", all)}\n${formatCycles("runtime cycles", runtime)}`,
    );
    if (runtime.length > 0 || (strict && all.length > 0)) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
