import { defineConfig } from "vitest/config";

/**
 * Shared vitest settings: tests resolve sibling workspace packages to their TypeScript source
 * through the `@nedis/source` export condition, so `test` never needs a prior build.
 */
export function nedisVitestConfig(options: { testTimeout?: number; include?: string[] } = {}) {
  const conditions = ["@nedis/source", "import", "module", "node", "default"];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@nedis/source"] } },
    test: {
      include: options.include ?? ["test/**/*.test.ts"],
      // Generous: property tests share two cores with the rest of the suite in CI.
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 20_000,
      pool: "forks",
    },
  });
}
