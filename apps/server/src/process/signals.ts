import type { Logger } from "../Logger.js";

export interface SignalActions {
  /** Starts the graceful shutdown (SHUTDOWN's path: save if configured, pid file, STOPPING=1). */
  shutdown(signal: "SIGINT" | "SIGTERM"): void;
  /** True once a shutdown has started. */
  shuttingDown(): boolean;
}

/**
 * Redis's setupSignalHandlers(): SIGTERM and SIGINT schedule a graceful shutdown; a second SIGINT
 * during it exits at once with status 1 ("You insist..."), a second SIGTERM only logs again.
 * SIGUSR1: Redis only uses it to stop its fork children, and its main process has no handler, so
 * the default action kills it. nedis has no fork children; it logs and ignores the signal rather
 * than letting Node open its inspector (a debugger port) on it — a deliberate difference.
 */
export function installSignalHandlers(log: Logger, actions: SignalActions): void {
  const onShutdownSignal = (signal: "SIGINT" | "SIGTERM") => {
    if (actions.shuttingDown() && signal === "SIGINT") {
      log.fromSignalHandler("warning", "You insist... exiting now.");
      process.exit(1);
      return;
    }
    log.fromSignalHandler("warning", `Received ${signal} scheduling shutdown...`);
    if (!actions.shuttingDown()) actions.shutdown(signal);
  };
  process.on("SIGINT", () => onShutdownSignal("SIGINT"));
  process.on("SIGTERM", () => onShutdownSignal("SIGTERM"));
  process.on("SIGUSR1", () =>
    log.fromSignalHandler("warning", "Received SIGUSR1, ignored: nedis has no child process to stop."),
  );
}
