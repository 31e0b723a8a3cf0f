#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs, USAGE } from "./cli/parseArgs.js";
import { ConfigError, ConfigStore } from "./config/ConfigStore.js";
import {
  applyConfigText,
  applyDirective,
  applyStrictConfigFirst,
  ConfigFileError,
  quoteRepr,
  readConfigFile,
} from "./config/loadConfig.js";
import type { LogLevel } from "./config/options.js";
import { Logger } from "./Logger.js";
import { NedisServer } from "./net/NedisServer.js";
import { loadDataFromDisk } from "./persistence/loadDataFromDisk.js";
import { rdbPersistenceOf } from "./persistence/RdbPersistence.js";
import { daemonize, reportDaemonReady, takeDaemonChildMarker } from "./process/daemonize.js";
import { logFileError } from "./process/logFile.js";
import { pidFilePath, removePidFile, writePidFile } from "./process/pidfile.js";
import { installSignalHandlers } from "./process/signals.js";
import { type SupervisedOption, setUpSupervision } from "./process/supervision.js";
import { openSyslog, syslogUnavailable } from "./process/syslog.js";
import { AclStartupError } from "./security/Authenticator.js";
import { NEDIS_VERSION, REDIS_VERSION } from "./version.js";

/** `nedis-server`: the redis-server command line, config loading, process set-up, startup log. */
function fatalConfig(lineNumber: number, line: string, reason: string): never {
  process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n`);
  if (lineNumber > 0) process.stderr.write(`Reading the configuration file, at line ${lineNumber}\n>>> '${line}'\n`);
  process.stderr.write(`${reason}\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  // Before any `dir` option moves us: a daemonized copy starts where we were started.
  const startCwd = process.cwd();
  const daemonChild = takeDaemonChildMarker();
  let request;
  try {
    request = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (request.kind === "version") {
    process.stdout.write(
      `nedis server v=${NEDIS_VERSION} redis_version=${REDIS_VERSION} node=${process.version} bits=64\n`,
    );
    return;
  }
  if (request.kind === "help") {
    // Like redis-server: usage on stderr, exit status 1.
    process.stderr.write(USAGE);
    process.exit(1);
  }
  const config = new ConfigStore();
  config.configFile = request.configFile === null ? null : resolve(request.configFile);
  // Like redis-server: the file, then stdin, then the command-line options as extra lines.
  let text = "";
  let stdinText = "";
  try {
    if (request.configFile !== null) text += readConfigFile(request.configFile);
    if (request.configFromStdin) {
      stdinText = readFileSync(0, "latin1");
      text += stdinText;
    }
    applyStrictConfigFirst(config, text, request.options);
    applyConfigText(config, text, request.configFile === null ? process.cwd() : dirname(resolve(request.configFile)));
  } catch (err) {
    if (err instanceof ConfigFileError) {
      if (err.lineNumber === 0) {
        // An unreadable main config file is logged, not framed as a config-line error.
        new Logger().warning(err.reason);
        process.exit(1);
      }
      fatalConfig(err.lineNumber, err.line, err.reason);
    }
    throw err;
  }
  const firstOptionLine = text.split("\n").length + 1;
  request.options.forEach(([name, words], i) => {
    try {
      // Options are more config lines (Redis appends them to the file's text): `user`,
      // `rename-command` and `loadmodule` included.
      const error = applyDirective(config, name.toLowerCase(), words);
      if (error !== undefined) {
        if (error !== null) fatalConfig(firstOptionLine + i, [name, ...words.map(quoteRepr)].join(" "), error);
        return;
      }
      config.set(name, words);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      fatalConfig(firstOptionLine + i, [name, ...words.map(quoteRepr)].join(" "), err.reason);
    }
  });

  const badLogFile = logFileError(config.string("logfile"));
  if (badLogFile !== null) fatalConfig(0, "", badLogFile);

  const log = new Logger(config.string("loglevel") as LogLevel, config.string("logfile"));
  const noSyslog = config.bool("syslog-enabled") ? syslogUnavailable() : null;
  if (noSyslog !== null) fatalConfig(0, "", noSyslog);
  const supervision = setUpSupervision(config.string("supervised") as SupervisedOption, log);
  // As Redis: a supervised server stays in the foreground whatever `daemonize` says.
  const background = config.bool("daemonize") && supervision.mode === "no";
  if (background && !daemonChild) await daemonize(startCwd, stdinText);
  if (config.bool("syslog-enabled"))
    log.syslog = openSyslog(config.string("syslog-ident"), config.string("syslog-facility"));
  log.notice("oO0OoO0OoO0Oo nedis is starting oO0OoO0OoO0Oo");
  log.notice(
    `nedis version=${NEDIS_VERSION}, redis_version=${REDIS_VERSION}, node=${process.version}, bits=64, pid=${process.pid}, just started`,
  );
  if (request.configFile === null && !request.configFromStdin) {
    log.warning(
      "Warning: no config file specified, using the default config. In order to specify a config file use nedis-server /path/to/nedis.conf",
    );
  } else {
    log.notice("Configuration loaded");
  }
  // One line per not-yet-supported option met: at its default, or its value ignored.
  for (const warning of config.startupWarnings) log.warning(warning);
  if (config.number("port") === 0 && !config.string("unixsocket") && config.number("tls-port") === 0) {
    log.warning("Configured to not listen anywhere, exiting.");
    process.exit(1);
  }
  let server: NedisServer;
  try {
    server = new NedisServer(config, log);
  } catch (err) {
    // ACL file errors (or users defined in two places) stop the start, as in Redis.
    if (!(err instanceof AclStartupError)) throw err;
    log.warning(err.message);
    process.exit(1);
  }
  try {
    loadDataFromDisk(server);
  } catch {
    process.exit(1);
  }
  try {
    await server.listen();
  } catch {
    log.warning("Failed listening on port " + config.number("port") + " (tcp), aborting.");
    process.exit(1);
  }
  const pidFile = pidFilePath(config.string("pidfile"), background);
  if (pidFile !== null) writePidFile(pidFile);
  log.notice(`Running mode=standalone, port=${config.number("port")}.`);
  log.notice("Server initialized");
  log.notice("Ready to accept connections tcp");
  const notifier = supervision.notifier;
  if (notifier !== null) {
    void notifier.notify("STATUS=Ready to accept connections");
    void notifier.notify("READY=1");
  }
  if (daemonChild) reportDaemonReady();

  let shuttingDown = false;
  const shutdown = (why: string | null) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (why !== null) log.warning(why);
    log.warning("User requested shutdown...");
    if (notifier !== null) void notifier.notify("STOPPING=1");
    void server.close().then(async () => {
      if (pidFile !== null) {
        log.notice("Removing the pid file.");
        removePidFile(pidFile);
      }
      log.warning("nedis is now ready to exit, bye bye...");
      await notifier?.flush();
      process.exit(0);
    });
  };
  server.onShutdown = shutdown;
  // Redis's SIGTERM/SIGINT: the final save when save points exist (shutdown-on-sigterm /
  // shutdown-on-sigint: "default" or any of save, nosave, now, force); if it fails the server stays up.
  const rdb = rdbPersistenceOf(server);
  const onSignal = (signal: "SIGINT" | "SIGTERM") => {
    const flags = config.string(`shutdown-on-${signal.toLowerCase()}`).split(" ");
    if (!rdb.prepareForShutdown(flags.includes("save"), flags.includes("nosave"), flags.includes("force"))) {
      log.warning(`${signal} received but errors trying to shut down the server, check the logs for more information`);
      return;
    }
    shutdown(null);
  };
  installSignalHandlers(log, { shutdown: onSignal, shuttingDown: () => shuttingDown });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
