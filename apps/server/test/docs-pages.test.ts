import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generatedPages } from "../scripts/docs/pages.js";

// The docs pages are generated from the command and config tables; a table change without
// `pnpm --filter nedis-server gen:docs` fails here, so the committed pages cannot drift.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const snapshot = fileURLToPath(new URL("../src/commands/metadata/redis-commands.json", import.meta.url));

describe("generated docs pages", () => {
  for (const page of generatedPages(snapshot)) {
    it(`${page.path} is up to date (pnpm --filter nedis-server gen:docs)`, () => {
      expect(readFileSync(`${root}${page.path}`, "utf8")).toBe(page.text);
    });
  }

  it("lists every Redis 7.0 command with its status and the counts at the top", () => {
    const commands = generatedPages(snapshot).find((p) => p.path === "docs/commands.md")!.text;
    expect(commands).toMatch(/Redis 7\.0 has \d+ commands and subcommands/);
    expect(commands).toContain("| `GET` | supported |");
    expect(commands).toContain("| `CLUSTER INFO` | missing |");
    expect(commands).toContain("| `MEMORY USAGE` | different |");
  });

  it("lists every config option with its default and mutability", () => {
    const config = generatedPages(snapshot).find((p) => p.path === "docs/config.md")!.text;
    expect(config).toMatch(/\| `maxmemory` \| [^|]+ \| `0` \| yes \|/);
    expect(config).toMatch(/\| `daemonize` \| [^|]+ \| `no` \| no \(startup only\) \|/);
  });
});
