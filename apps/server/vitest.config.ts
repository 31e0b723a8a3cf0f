import { nedisVitestConfig } from "../../vitest.shared.js";

const config = nedisVitestConfig({ testTimeout: 30_000 });
// Each test file starts its own server unless pointed at a shared one, which files must then take in turn.
if (process.env.NEDIS_TEST_URL) config.test = { ...config.test, fileParallelism: false };
export default config;
