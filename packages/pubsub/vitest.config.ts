import { configDefaults, mergeConfig } from "vitest/config";
import { nedisVitestConfig } from "../../vitest.shared.js";

// `*.redis.test.ts` start a real redis-server: they run with `pnpm test:redis`, not `pnpm test`.
export default mergeConfig(nedisVitestConfig(), {
  test: { exclude: [...configDefaults.exclude, "test/**/*.redis.test.ts"] },
});
