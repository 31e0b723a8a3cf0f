import { xaddCommands } from "./xadd.js";
import { xclaimCommands } from "./xclaim.js";
import { xgroupCommands } from "./xgroup.js";
import { xinfoCommands } from "./xinfo.js";
import { xrangeCommands } from "./xrange.js";
import { xreadCommands } from "./xread.js";

/** The stream commands (Redis's t_stream.c), one record each. */
export const streamCommands = [
  ...xaddCommands,
  ...xrangeCommands,
  ...xreadCommands,
  ...xgroupCommands,
  ...xclaimCommands,
  ...xinfoCommands,
];
