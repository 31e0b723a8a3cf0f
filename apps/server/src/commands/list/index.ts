import { listCoreCommands } from "./listCommands.js";
import { listEditCommands } from "./listEditCommands.js";
import { listMoveCommands } from "./listMoveCommands.js";

/** List commands (Redis's `t_list.c`); the blocking ones are in `listBlockingCommands.ts`. */
export const listCommands = [...listCoreCommands, ...listEditCommands, ...listMoveCommands];
