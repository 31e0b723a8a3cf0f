import type { Logger } from "../Logger.js";
import { findNotifySender, SystemdNotifier } from "./systemdNotify.js";

export type SupervisedOption = "upstart" | "systemd" | "auto" | "no";

/** What supervises this process after start-up (INFO's `process_supervised`). */
export interface Supervision {
  mode: "upstart" | "systemd" | "no";
  /** The notify channel when `mode` is systemd. */
  notifier: SystemdNotifier | null;
}

/** Last resolved mode, for INFO (one process, one supervision). */
let currentMode: Supervision["mode"] = "no";
export const supervisedMode = (): Supervision["mode"] => currentMode;

/**
 * Redis's redisIsSupervised(): `auto` picks upstart when UPSTART_JOB is set, systemd when
 * NOTIFY_SOCKET is; a requested supervisor that is not there leaves the process unsupervised
 * (with Redis's warning), so `daemonize yes` then still applies.
 */
export function setUpSupervision(option: SupervisedOption, log: Logger, env = process.env): Supervision {
  let mode = option;
  if (mode === "auto") {
    if (env.UPSTART_JOB) {
      log.verbose("Upstart supervision detected.");
      mode = "upstart";
    } else if (env.NOTIFY_SOCKET) {
      log.verbose("Systemd supervision detected.");
      mode = "systemd";
    }
  }
  const result: Supervision = { mode: "no", notifier: null };
  if (mode === "upstart") {
    if (!env.UPSTART_JOB) {
      log.warning("upstart supervision requested, but UPSTART_JOB not found!");
    } else {
      // Upstart's `expect stop`: the job is ready when the process stops itself.
      log.notice("supervised by upstart, will stop to signal readiness.");
      process.kill(process.pid, "SIGSTOP");
      delete env.UPSTART_JOB;
      result.mode = "upstart";
    }
  } else if (mode === "systemd") {
    const sender = findNotifySender(env.PATH ?? "");
    if (!env.NOTIFY_SOCKET) {
      log.warning("systemd supervision error: NOTIFY_SOCKET not found!");
    } else if (sender === null) {
      log.warning(
        "systemd supervision requested or auto-detected, but neither systemd-notify nor python3 is on the PATH to send notifications!",
      );
    } else {
      result.mode = "systemd";
      result.notifier = new SystemdNotifier(sender, (reason) =>
        log.warning(`systemd supervision error: sd_notify: ${reason}`),
      );
      void result.notifier.notify("STATUS=nedis is loading...");
      log.notice(
        "Supervised by systemd. Please make sure you set appropriate values for TimeoutStartSec and TimeoutStopSec in your service unit.",
      );
    }
  }
  currentMode = result.mode;
  return result;
}
