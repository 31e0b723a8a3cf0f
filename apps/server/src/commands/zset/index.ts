import { bzpopCommands } from "./bzpop.js";
import { zpopCommands } from "./zpop.js";
import { zrandCommands } from "./zrandmember.js";
import { zrangeCommands } from "./zrange.js";
import { zremrangeCommands } from "./zremrange.js";
import { zsetBasicCommands } from "./zsetBasic.js";
import { zsetOpCommands } from "./zsetops.js";

export { parseZmpop, ZSET_MAX, ZSET_MIN, zsetPopAndReply } from "./zpop.js";

/** The sorted set commands (Redis's t_zset.c), one record each. */
export const zsetCommands = [
  ...zsetBasicCommands,
  ...zrangeCommands,
  ...zremrangeCommands,
  ...zpopCommands,
  ...zsetOpCommands,
  ...zrandCommands,
  ...bzpopCommands,
];
