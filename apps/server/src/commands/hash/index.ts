/** The hash commands (Redis's t_hash.c), one record each. */
export { hashCommands } from "./hashCommands.js";
