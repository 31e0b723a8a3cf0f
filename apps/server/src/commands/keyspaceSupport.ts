/**
 * Kept for `net/NedisServer.ts`, which imports `bindKeyspaceConfig` from here. Handlers import
 * the toolkit from `./support/` (`keyArgs`, `numbers`, `errors`) and use `server.keyspace`.
 */
export { bindKeyspaceConfig } from "./support/bindKeyspaceConfig.js";
