export { NedisServer, type BoundAddress, type ListenOptions } from "./net/NedisServer.js";
export { ConfigStore, ConfigError } from "./config/ConfigStore.js";
export { CONFIG_OPTIONS } from "./config/options.js";
export { applyConfigFile, applyConfigText, ConfigFileError } from "./config/loadConfig.js";
export { Logger } from "./Logger.js";
export { ALL_COMMANDS } from "./commands/index.js";
export type { CommandSpec, CommandFlag, CommandHandler, CommandArgs } from "./commands/CommandSpec.js";
export { startServer, type StartServerOptions } from "./startServer.js";
export { REDIS_VERSION, NEDIS_VERSION } from "./version.js";
