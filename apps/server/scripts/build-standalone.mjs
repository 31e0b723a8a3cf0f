#!/usr/bin/env node
// Builds the self-contained `nedis-server` artifact: the server and every @nedis/* package it
// uses bundled into one ESM file, Redis's command snapshot beside it, and a package.json with a
// `bin`. No workspace needed to run it: `npm install -g ./apps/server/dist-standalone`, or
// `npx ./apps/server/dist-standalone --port 7000`, gives a `nedis-server` command.
// Usage: node scripts/build-standalone.mjs [outDir]   (default: apps/server/dist-standalone)
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { bundleSources, SERVER_DIR } from "./bundleSources.mjs";

const outDir = resolve(process.argv[2] ?? join(SERVER_DIR, "dist-standalone"));
const server = JSON.parse(readFileSync(join(SERVER_DIR, "package.json"), "utf8"));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// src/main.ts starts with `#!/usr/bin/env node`; esbuild keeps it at the top of the bundle.
await bundleSources({ "nedis-server": "src/main.ts" }, outDir, { minify: true });

// The Lua interpreter (npm `wasmoon-lua5.1`, MIT) is a wasm file read at run time: it ships
// beside the bundle, where @nedis/lua looks first, with its license.
const requireFromLua = createRequire(join(SERVER_DIR, "../../packages/lua/package.json"));
const luaWasm = requireFromLua.resolve("wasmoon-lua5.1/dist/liblua5.1.wasm");
copyFileSync(luaWasm, join(outDir, "liblua5.1.wasm"));
copyFileSync(join(dirname(luaWasm), "../LICENSE"), join(outDir, "liblua5.1.LICENSE"));

const manifest = {
  name: server.name,
  version: server.version,
  description: server.description,
  license: server.license,
  type: "module",
  engines: server.engines,
  bin: { "nedis-server": "./nedis-server.js" },
  files: ["nedis-server.js", "redis-commands.json", "liblua5.1.wasm", "liblua5.1.LICENSE", "README.md", "LICENSE"],
};
writeFileSync(join(outDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(
  join(outDir, "README.md"),
  [
    "# nedis-server (standalone)",
    "",
    "A Redis 7.0 compatible server for Node.js, bundled into one file with no dependencies.",
    "Run it like `redis-server`: `nedis-server [/path/to/nedis.conf] [--port 7000] [--option value]`.",
    "Built from the nedis repository by `pnpm --filter nedis-server build:standalone`.",
    "",
  ].join("\n"),
);
writeFileSync(join(outDir, "LICENSE"), readFileSync(join(SERVER_DIR, "../../LICENSE")));
console.log(`built ${outDir}`);
