import { nedisVitestConfig } from "../../vitest.shared.js";

// `*.redis.test.ts` compare with a real redis-server (redis-check-rdb, redis-server loading our files) and skip themselves where none is installed.
export default nedisVitestConfig();
