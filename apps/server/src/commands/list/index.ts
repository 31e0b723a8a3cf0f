import { listBlockingCommands } from "./listBlockingCommands.js";
import { listCoreCommands } from "./listCommands.js";
import { listEditCommands } from "./listEditCommands.js";
import { listMoveCommands } from "./listMoveCommands.js";

/** List commands (Redis's `t_list.c`). */
export const listCommands = [...listCoreCommands, ...listEditCommands, ...listMoveCommands, ...listBlockingCommands];
