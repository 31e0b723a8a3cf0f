import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderSampleConfig } from "../scripts/gen-conf.js";
import { ConfigStore } from "../src/config/ConfigStore.js";
import { applyConfigText } from "../src/config/loadConfig.js";

/**
 * apps/server/nedis.conf is generated from the config table. `gen:conf` runs this file with
 * NEDIS_WRITE_SAMPLE_CONF=1 to rewrite it; otherwise a stale file fails here.
 */
const samplePath = fileURLToPath(new URL("../nedis.conf", import.meta.url));

describe("sample nedis.conf", () => {
  const rendered = renderSampleConfig();
  if (process.env.NEDIS_WRITE_SAMPLE_CONF === "1") writeFileSync(samplePath, rendered);

  it("matches the config table (run `pnpm --filter nedis-server gen:conf` after changing it)", () => {
    expect(readFileSync(samplePath, "latin1")).toBe(rendered);
  });

  it("loads as a config file with every option uncommented, leaving every value at its default", () => {
    // Each option's block ends with its commented-out line: `# name default`.
    const config = new ConfigStore();
    const lines = rendered
      .split("\n\n")
      .map((block) => block.trimEnd().split("\n").at(-1)!)
      .filter((line) => line.startsWith("# ") && config.lookup(line.slice(2).split(" ")[0]!) !== undefined)
      .map((line) => line.slice(2));
    applyConfigText(config, `${lines.join("\n")}\n`);
    const fresh = new ConfigStore();
    expect(lines.length).toBe(config.options.filter((opt) => !opt.hidden).length);
    for (const opt of config.options) expect([opt.name, config.format(opt)]).toEqual([opt.name, fresh.format(opt)]);
  });
});
