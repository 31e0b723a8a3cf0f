import { readFileSync } from "node:fs";
import { ALL_COMMANDS } from "../../src/commands/index.js";
import type { TypedValue } from "../../src/commands/metadata/RedisMetadata.js";
import { CONFIG_OPTIONS } from "../../src/config/options.js";
import { renderCommandsPage } from "./commandsPage.js";
import { renderConfigPage } from "./configPage.js";

/** A generated page: its path from the repository root and its text. */
export interface GeneratedPage {
  path: string;
  text: string;
}

/**
 * Every generated docs page. `snapshotPath` is Redis 7.0's command snapshot (redis-commands.json),
 * read raw: the server's reader adds newer commands to it.
 */
export function generatedPages(snapshotPath: string): GeneratedPage[] {
  const snapshot = JSON.parse(readFileSync(snapshotPath, "latin1")) as { docs: Record<string, TypedValue> };
  return [
    { path: "docs/commands.md", text: renderCommandsPage(snapshot.docs, ALL_COMMANDS) },
    { path: "docs/config.md", text: renderConfigPage(CONFIG_OPTIONS) },
  ];
}
