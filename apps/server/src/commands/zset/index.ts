import { zrangeCommands } from "./zrange.js";
import { zsetBasicCommands } from "./zsetBasic.js";

/** The sorted set commands (Redis's t_zset.c), one record each. */
export const zsetCommands = [...zsetBasicCommands, ...zrangeCommands];
