import { ConfigStore } from "./config/ConfigStore.js";
import { applyConfigText, applyDirective, applyStrictConfigFirst } from "./config/loadConfig.js";
import type { LogLevel } from "./config/options.js";
import { Logger } from "./Logger.js";
import { NedisServer } from "./net/NedisServer.js";
import { loadDataFromDisk } from "./persistence/loadDataFromDisk.js";

export interface StartServerOptions {
  /** Options as `[name, words]` pairs, applied in order (like command-line `--name words`). */
  options?: [string, string[]][];
  /** redis.conf text applied before `options`. */
  configText?: string;
  /** Listen on an ephemeral port of the first bind address (tests). */
  anyPort?: boolean;
}

/** Builds a configured server and starts listening. For embedding nedis and for tests. */
export async function startServer(opts: StartServerOptions = {}): Promise<NedisServer> {
  const config = new ConfigStore();
  applyStrictConfigFirst(config, opts.configText ?? "", opts.options);
  if (opts.configText) applyConfigText(config, opts.configText);
  for (const [name, words] of opts.options ?? []) {
    const error = applyDirective(config, name.toLowerCase(), words);
    if (error === undefined) config.set(name, words);
    else if (error !== null) throw new Error(error);
  }
  const log = new Logger(config.string("loglevel") as LogLevel, config.string("logfile"));
  for (const warning of config.startupWarnings) log.warning(warning);
  const server = new NedisServer(config, log);
  // Like Redis, the data on disk is loaded before any client is served; failing data stops the start.
  try {
    loadDataFromDisk(server);
  } catch (err) {
    await server.close();
    throw err;
  }
  await server.listen({ anyPort: opts.anyPort ?? false });
  return server;
}
