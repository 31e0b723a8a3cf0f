import type { CommandSpec } from "./CommandSpec.js";
import { debugCommands } from "./debug.js";
import { evalCommands } from "./eval.js";
import { fcallCommands } from "./fcall.js";
import { latencyCommands } from "./latency.js";
import { lolwutCommands } from "./lolwut.js";
import { memoryCommands } from "./memory.js";
import { scriptingCommands } from "./scripting.js";
import { serverAdminCommands } from "./serverAdmin.js";
import { slowlogCommands } from "./slowlog.js";

/**
 * The server's admin and introspection commands (Redis's `server` group beyond INFO and the
 * keyspace, plus FUNCTION/SCRIPT management): SLOWLOG, LATENCY, MONITOR, DEBUG, MEMORY, TIME,
 * LASTSAVE, LOLWUT, SHUTDOWN, FUNCTION, SCRIPT.
 */
export const adminCommands: readonly CommandSpec[] = [
  ...slowlogCommands,
  ...latencyCommands,
  ...serverAdminCommands,
  ...debugCommands,
  ...memoryCommands,
  ...lolwutCommands,
  ...scriptingCommands,
  ...evalCommands,
  ...fcallCommands,
];
