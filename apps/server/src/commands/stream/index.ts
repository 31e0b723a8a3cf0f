import { xaddCommands } from "./xadd.js";
import { xgroupCommands } from "./xgroup.js";
import { xrangeCommands } from "./xrange.js";
import { xreadCommands } from "./xread.js";

/** The stream commands (Redis's t_stream.c), one record each. */
export const streamCommands = [...xaddCommands, ...xrangeCommands, ...xreadCommands, ...xgroupCommands];
