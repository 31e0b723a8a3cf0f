import { dirname, join } from "node:path";
import { applyConfigFile, ConfigStore, Logger, NedisServer } from "../../src/index.js";
import { type ConfigPairs, spawnRealRedis, type Target, withClients } from "./target.js";

/**
 * A server started from a config file, as `nedis-server /path/to.conf` and `redis-server
 * /path/to.conf` start, for CONFIG REWRITE. nedis runs in this process (the file is loaded the
 * way `main` loads it); `NEDIS_TEST_TARGET=redis` spawns redis-server in the file's directory.
 * Both listen on 127.0.0.1 with `save ""`, given after the file like command-line options.
 */
export async function startWithConfigFile(path: string, options: ConfigPairs = []): Promise<Target> {
  const base: ConfigPairs = [["bind", ["127.0.0.1"]], ["save", [""]], ...options];
  if (process.env.NEDIS_TEST_TARGET === "redis") return spawnRealRedis([path], base, dirname(path));
  const config = new ConfigStore();
  applyConfigFile(config, path);
  for (const [name, words] of base) config.set(name, words);
  config.configFile = path;
  // The log goes beside the file (CONFIG REWRITE logs at warning level, as Redis does).
  const server = new NedisServer(config, new Logger("warning", join(dirname(path), "nedis.log")));
  const [addr] = await server.listen({ anyPort: true });
  return withClients("nedis", "127.0.0.1", addr!.port, () => server.close());
}
