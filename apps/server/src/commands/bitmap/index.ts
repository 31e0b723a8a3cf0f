import { bitCommands } from "./bitCommands.js";
import { bitfieldCommands } from "./bitfield.js";
import { bitopCommands } from "./bitop.js";

/** The bitmap commands (Redis's `bitops.c`): bits and bit fields of string values. */
export const bitmapCommands = [...bitCommands, ...bitopCommands, ...bitfieldCommands];
