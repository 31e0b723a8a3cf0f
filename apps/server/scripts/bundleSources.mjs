// Bundles TypeScript entry points of the server (and every @nedis/* workspace package, from
// their sources) into one ESM file each, for scripts that run outside vitest: the docs generator
// and the standalone artifact. esbuild through tsup (a root devDependency), tsup.config.ts unused.
import { copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";

export const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SNAPSHOT = join(SERVER_DIR, "src/commands/metadata/redis-commands.json");

/**
 * @param {Record<string, string>} entry output name → entry file (relative to apps/server)
 * @param {string} outDir
 * @param {{ minify?: boolean, banner?: string }} [options]
 */
export async function bundleSources(entry, outDir, options = {}) {
  await build({
    config: false,
    entry: Object.fromEntries(Object.entries(entry).map(([name, file]) => [name, join(SERVER_DIR, file)])),
    outDir,
    format: ["esm"],
    platform: "node",
    target: "node20",
    splitting: false,
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    minifyWhitespace: options.minify === true,
    minifySyntax: options.minify === true,
    noExternal: [/^@nedis\//],
    banner: options.banner ? { js: options.banner } : undefined,
    // Workspace packages from their TypeScript sources: no prior build of any package needed.
    esbuildOptions(o) {
      o.conditions = ["@nedis/source"];
    },
  });
  // Read at run time beside the bundle (src/commands/metadata/RedisMetadata.ts).
  copyFileSync(SNAPSHOT, join(outDir, "redis-commands.json"));
}
