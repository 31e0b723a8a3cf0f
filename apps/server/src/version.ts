/** The Redis version nedis implements and reports as `redis_version` (clients check it). */
export const REDIS_VERSION = "7.0.15";
/** nedis's own version (`nedis_version` in INFO). Kept equal to apps/server/package.json. */
export const NEDIS_VERSION = "0.1.0";
