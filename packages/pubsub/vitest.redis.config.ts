import { nedisVitestConfig } from "../../vitest.shared.js";

export default nedisVitestConfig({ include: ["test/**/*.redis.test.ts"], testTimeout: 120_000 });
