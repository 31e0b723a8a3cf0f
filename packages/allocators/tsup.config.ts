import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/kv-pool/index.ts", "src/arena/index.ts", "src/fixed-pool/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  platform: "node",
  target: "node20",
  splitting: true,
});
