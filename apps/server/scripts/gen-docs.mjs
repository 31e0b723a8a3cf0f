#!/usr/bin/env node
// Writes the generated docs pages (docs/commands.md, docs/config.md) from the command and config
// tables. test/docs-pages.test.ts renders the same pages in memory and fails when they differ.
// Usage: pnpm --filter nedis-server gen:docs
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleSources, SERVER_DIR, SNAPSHOT } from "./bundleSources.mjs";

const root = join(SERVER_DIR, "../..");
const outDir = mkdtempSync(join(tmpdir(), "nedis-gen-docs-"));
try {
  await bundleSources({ pages: "scripts/docs/pages.ts" }, outDir);
  const { generatedPages } = await import(pathToFileURL(join(outDir, "pages.js")).href);
  for (const page of generatedPages(SNAPSHOT)) {
    writeFileSync(join(root, page.path), page.text);
    console.log(`wrote ${page.path}`);
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
