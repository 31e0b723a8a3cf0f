import { nedisVitestConfig } from "../../vitest.shared.js";

// `*.redis.test.ts` compare with a real redis-server and skip themselves where none is installed.
export default nedisVitestConfig();
