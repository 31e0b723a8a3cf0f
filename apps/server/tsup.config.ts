import { copyFileSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/main.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  platform: "node",
  target: "node20",
  splitting: true,
  // Comments and whitespace out, names kept (profiles, stack traces): the bundle's source text
  // stays in the heap for the life of the server (1.7 MB as written, two-byte for its dashes).
  minifyWhitespace: true,
  minifySyntax: true,
  // Read at run time by src/commands/metadata/RedisMetadata.ts, beside the bundle.
  onSuccess: async () => copyFileSync("src/commands/metadata/redis-commands.json", "dist/redis-commands.json"),
});
