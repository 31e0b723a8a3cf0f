#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs, USAGE } from "./cli/parseArgs.js";
import { ConfigError, ConfigStore } from "./config/ConfigStore.js";
import { applyConfigFile, applyConfigText, ConfigFileError } from "./config/loadConfig.js";
import type { LogLevel } from "./config/options.js";
import { Logger } from "./Logger.js";
import { NedisServer } from "./net/NedisServer.js";
import { NEDIS_VERSION, REDIS_VERSION } from "./version.js";

/** `nedis-server`: the redis-server command line, config loading, startup log and signals. */
function fatalConfig(lineNumber: number, line: string, reason: string): never {
  process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n`);
  if (lineNumber > 0) process.stderr.write(`Reading the configuration file, at line ${lineNumber}\n>>> '${line}'\n`);
  process.stderr.write(`${reason}\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  let request;
  try {
    request = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (request.kind === "version") {
    process.stdout.write(`nedis server v=${NEDIS_VERSION} redis_version=${REDIS_VERSION} node=${process.version} bits=64\n`);
    return;
  }
  if (request.kind === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const config = new ConfigStore();
  try {
    if (request.configFile !== null) applyConfigFile(config, request.configFile);
    if (request.configFromStdin) applyConfigText(config, readFileSync(0, "latin1"));
  } catch (err) {
    if (err instanceof ConfigFileError) fatalConfig(err.lineNumber, err.line, err.reason);
    throw err;
  }
  for (const [name, words] of request.options) {
    try {
      config.set(name, words);
    } catch (err) {
      if (err instanceof ConfigError) fatalConfig(1, `${name} ${words.map((w) => JSON.stringify(w)).join(" ")}`, err.reason);
      throw err;
    }
  }

  const log = new Logger(config.string("loglevel") as LogLevel, config.string("logfile"));
  log.notice("oO0OoO0OoO0Oo nedis is starting oO0OoO0OoO0Oo");
  log.notice(`nedis version=${NEDIS_VERSION}, redis_version=${REDIS_VERSION}, node=${process.version}, bits=64, pid=${process.pid}, just started`);
  if (request.configFile === null && !request.configFromStdin) {
    log.warning("Warning: no config file specified, using the default config. In order to specify a config file use nedis-server /path/to/nedis.conf");
  } else {
    log.notice("Configuration loaded");
  }
  const server = new NedisServer(config, log);
  try {
    await server.listen();
  } catch {
    log.warning("Failed listening on port " + config.number("port") + " (tcp), aborting.");
    process.exit(1);
  }
  log.notice(`Running mode=standalone, port=${config.number("port")}.`);
  log.notice("Server initialized");
  log.notice("Ready to accept connections tcp");

  let shuttingDown = false;
  const shutdown = (why: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.warning(why);
    log.notice("User requested shutdown...");
    void server.close().then(() => {
      log.warning("nedis is now ready to exit, bye bye...");
      process.exit(0);
    });
  };
  server.onShutdown = shutdown;
  process.on("SIGINT", () => shutdown("Received SIGINT scheduling shutdown..."));
  process.on("SIGTERM", () => shutdown("Received SIGTERM scheduling shutdown..."));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
