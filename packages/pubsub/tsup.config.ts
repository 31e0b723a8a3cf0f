import { defineConfig } from "tsup";

export default defineConfig({
  // Named entries so the subpath exports map to dist/globMatch.js and dist/keyspaceEvents.js.
  entry: {
    index: "src/index.ts",
    globMatch: "src/globMatch.ts",
    keyspaceEvents: "src/keyspaceEvents.ts",
  },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  platform: "node",
  target: "node20",
  splitting: true,
});
