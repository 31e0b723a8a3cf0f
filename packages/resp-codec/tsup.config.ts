import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/int64.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  platform: "node",
  target: "node20",
  splitting: true,
  // Comments and whitespace out, names kept: a module's source text stays in the heap for the life
  // of the server (two bytes a character once a comment has a dash or an arrow).
  minifyWhitespace: true,
  minifySyntax: true,
});
