export type { CommandArgs, CommandFlag, CommandHandler, CommandSpec } from "./commands/CommandSpec.js";
export { ALL_COMMANDS } from "./commands/index.js";
export { ConfigError, ConfigStore } from "./config/ConfigStore.js";
export { applyConfigFile, applyConfigText, ConfigFileError } from "./config/loadConfig.js";
export { CONFIG_OPTIONS } from "./config/options.js";
export { Logger } from "./Logger.js";
export { type BoundAddress, type ListenOptions, NedisServer } from "./net/NedisServer.js";
export { type StartServerOptions, startServer } from "./startServer.js";
export { NEDIS_VERSION, REDIS_VERSION } from "./version.js";
