import { aclCommands } from "./acl.js";
import { adminCommands } from "./admin.js";
import { aofCommands } from "./aofCommands.js";
import { bitmapCommands } from "./bitmap/index.js";
import type { CommandSpec } from "./CommandSpec.js";
import { clientCommands } from "./client.js";
import { commandCommands } from "./command.js";
import { configCommands } from "./config.js";
import { connectionCommands } from "./connection.js";
import { dumpCommands } from "./dump.js";
import { genericCommands } from "./generic.js";
import { geoCommands } from "./geo/index.js";
import { hashCommands } from "./hash/index.js";
import { hyperloglogCommands } from "./hyperloglog.js";
import { listCommands } from "./list/index.js";
import { withRedisMetadata } from "./metadata/fillMetadata.js";
import { moduleCommands } from "./module.js";
import { persistenceCommands } from "./persistence.js";
import { pubsubCommands } from "./pubsub.js";
import { serverCommands } from "./server.js";
import { setCommands } from "./set/setCommands.js";
import { sortCommands } from "./sort/sort.js";
import { streamCommands } from "./stream/index.js";
import { stringCommands } from "./string.js";
import { transactionCommands } from "./transaction.js";
import { zsetCommands } from "./zset/index.js";

/**
 * The one command table: every command nedis has, grouped by data type like Redis's sources,
 * with Redis 7.0's arity, flags, ACL categories and key positions filled in.
 */
export const ALL_COMMANDS: readonly CommandSpec[] = withRedisMetadata([
  ...connectionCommands,
  ...clientCommands,
  ...stringCommands,
  ...genericCommands,
  ...serverCommands,
  ...persistenceCommands,
  ...commandCommands,
  ...configCommands,
  ...transactionCommands,
  ...pubsubCommands,
  ...adminCommands,
  ...aclCommands,
  ...dumpCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...streamCommands,
  ...sortCommands,
  ...hyperloglogCommands,
  ...bitmapCommands,
  ...geoCommands,
  ...aofCommands,
  ...moduleCommands,
]);
