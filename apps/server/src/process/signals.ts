import type { Logger } from "../Logger.js";

export interface SignalActions {
  /** Starts the graceful shutdown (SHUTDOWN's path: save if configured, pid file, STOPPING=1). */
  shutdown(): void;
  /** True once a shutdown has started. */
  shuttingDown(): boolean;
}

/**
 * Redis's setupSignalHandlers(): SIGTERM and SIGINT schedule a graceful shutdown; a second SIGINT
 * during it exits at once with status 1 ("You insist..."), a second SIGTERM only logs again.
 * SIGUSR1 is ignored as redis-server's main process does (Redis only sends it to its fork
 * children) — which also keeps Node from opening its inspector on it.
 */
export function installSignalHandlers(log: Logger, actions: SignalActions): void {
  const onShutdownSignal = (signal: "SIGINT" | "SIGTERM") => {
    if (actions.shuttingDown() && signal === "SIGINT") {
      log.fromSignalHandler("warning", "You insist... exiting now.");
      process.exit(1);
    }
    log.fromSignalHandler("warning", `Received ${signal} scheduling shutdown...`);
    if (!actions.shuttingDown()) actions.shutdown();
  };
  process.on("SIGINT", () => onShutdownSignal("SIGINT"));
  process.on("SIGTERM", () => onShutdownSignal("SIGTERM"));
  process.on("SIGUSR1", () => {});
}
