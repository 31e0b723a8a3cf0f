import { defineConfig } from "tsup";

export default defineConfig({
  // One entry per export: "." and the "./listpack" and "./intset" subpaths.
  entry: { index: "src/index.ts", listpack: "src/listpack/index.ts", intset: "src/intset/index.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  platform: "node",
  target: "node20",
  splitting: true,
});
