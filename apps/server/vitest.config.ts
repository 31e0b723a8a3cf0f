import { nedisVitestConfig } from "../../vitest.shared.js";

export default nedisVitestConfig({ testTimeout: 30_000 });
