import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findImportCycles, formatCycles } from "../../../scripts/import-cycles.mjs";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

describe("import cycles in apps/server/src", () => {
  it("no file imports itself back at run time", () => {
    const { all, runtime } = findImportCycles(SRC);
    // Type-only cycles through ServerContext (the context-object pattern) are tolerated: shown, not failed.
    console.log(formatCycles("apps/server/src cycles counting type-only imports", all));
    expect(formatCycles("runtime cycles", runtime)).toBe("runtime cycles: none");
  });
});

describe("the cycle finder", () => {
  it("tells type-only imports from runtime ones", () => {
    const dir = mkdtempSync(join(tmpdir(), "nedis-cycles-"));
    try {
      mkdirSync(join(dir, "sub"));
      const files: Record<string, string> = {
        // a ↔ b only through types (both spellings of a type-only import).
        "a.ts": 'import { type B, type C } from "./b.js";\nexport const a = 1;\n',
        "b.ts": 'import type { A } from "./a.js";\nexport type B = A;\n',
        // c → d at run time, d → c at run time through a multi-line import and an index file.
        "c.ts": 'import {\n  d,\n  type D,\n} from "./sub/index.js";\nexport const c = d;\n',
        "sub/index.ts": 'export { c } from "../c.js";\nexport const d = 1;\nexport type D = number;\n',
        // A commented-out import is no edge.
        "e.ts": '// import { a } from "./a.js";\n/* import { c } from "./c.js"; */\nexport const e = 1;\n',
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const { all, runtime } = findImportCycles(dir);
      expect(all).toEqual([
        ["a.ts", "b.ts"],
        ["c.ts", "sub/index.ts"],
      ]);
      expect(runtime).toEqual([["c.ts", "sub/index.ts"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds today's type-only group through ServerContext", () => {
    const { all } = findImportCycles(SRC);
    expect(all.some((group) => group.includes("ServerContext.ts") && group.includes("net/Client.ts"))).toBe(true);
  });
});
