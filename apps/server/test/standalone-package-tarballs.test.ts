import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Every package's tarball (`pnpm pack`, after the build turbo runs before these tests) installs
 * into an empty project with npm: its `workspace:^` dependencies have become version ranges,
 * met by the sibling tarballs installed beside it (until the packages are published, that is
 * how each README says to install from the repository); a pinned registry dependency (the Lua
 * wasm of @nedis/lua) is put in npm's cache first, and every install runs offline.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const PACKAGES = [
  "@nedis/allocators",
  "@nedis/keyspace",
  "@nedis/lua",
  "@nedis/persistence",
  "@nedis/pubsub",
  "@nedis/rdb",
  "@nedis/resp-codec",
  "nedis-server",
];
const dir = mkdtempSync(join(tmpdir(), "nedis-tarballs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** No pnpm-set npm_* variables, no user npm config: what a user's plain shell would have. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) env[name] = value;
  env.npm_config_prefer_offline = "true";
  env.npm_config_userconfig = join(dir, "user-npmrc");
  return env;
}

interface Packed {
  name: string;
  tarball: string;
  dependencies: Record<string, string>;
}

/** Every workspace package packed by one `pnpm -r pack` (one start-up of pnpm, not seven). */
async function packAll(): Promise<Packed[]> {
  const out = join(dir, "tarballs");
  mkdirSync(out);
  await run("npx", ["-y", "pnpm@10.34.8", "-r", "pack", "--pack-destination", out], {
    cwd: root,
    env: userEnv(),
    timeout: 120_000,
  });
  return Promise.all(
    readdirSync(out).map(async (file) => {
      const tarball = join(out, file);
      const { stdout } = await run("tar", ["-xzOf", tarball, "package/package.json"]);
      const manifest = JSON.parse(stdout) as { name: string; dependencies?: Record<string, string> };
      return { name: manifest.name, tarball, dependencies: manifest.dependencies ?? {} };
    }),
  );
}

describe.skipIf(process.env.NEDIS_TEST_URL || process.env.NEDIS_TEST_TARGET === "redis")("package tarballs", () => {
  it("each installs into an empty project with its sibling tarballs, offline, and imports", async () => {
    const packed = await packAll();
    expect(packed.map((p) => p.name).sort()).toEqual(PACKAGES);
    const byName = new Map(packed.map((p) => [p.name, p]));
    // Registry dependencies (pinned) go into npm's cache first, so every install runs offline:
    // an online install would also ask the registry for the unpublished @nedis/* siblings.
    const registryDeps = new Set(
      packed
        .flatMap((p) => Object.entries(p.dependencies).filter(([dep]) => !byName.has(dep)))
        .map(([d, v]) => `${d}@${v}`),
    );
    for (const spec of registryDeps)
      await run("npm", ["cache", "add", spec], { cwd: dir, env: userEnv(), timeout: 120_000 });
    // One after the other: npm installs in parallel crowd a small machine past their timeouts.
    for (const pkg of packed) await installAlone(pkg, byName);
  }, 300_000);
});

async function installAlone(pkg: Packed, byName: Map<string, Packed>): Promise<void> {
  {
    for (const range of Object.values(pkg.dependencies)) expect(range).not.toMatch(/^workspace:/);
    // The package and the siblings it needs, transitively: nothing else.
    const needed = new Set<string>();
    const visit = (name: string) => {
      if (needed.has(name)) return;
      needed.add(name);
      for (const [dep, range] of Object.entries(byName.get(name)!.dependencies)) {
        // A registry dependency (the Lua wasm) is pinned exactly (and cached above).
        if (!byName.has(dep)) expect(range, `${name} depends on ${dep}@${range}`).toMatch(/^\d+\.\d+\.\d+$/);
        else visit(dep);
      }
    };
    visit(pkg.name);

    const project = join(dir, `project-${pkg.name.replace(/[@/]/g, "_")}`);
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{ "name": "empty", "private": true, "type": "module" }\n');
    await run(
      "npm",
      [
        "install",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        ...[...needed].map((n) => byName.get(n)!.tarball),
      ],
      { cwd: project, env: userEnv(), timeout: 90_000 },
    );
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "-e", `await import(${JSON.stringify(pkg.name)}); console.log("imported")`],
      { cwd: project, timeout: 30_000 },
    );
    expect(stdout.trim(), pkg.name).toBe("imported");
  }
}
