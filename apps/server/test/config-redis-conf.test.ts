import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, waitFor } from "./utils/serverProcess.js";
import { freePort, stopProcess } from "./utils/target.js";

/**
 * A stock redis.conf (the distribution's /etc/redis/redis.conf where installed, else a short
 * stand-in with the same kind of lines) as someone migrating to nedis brings it, with a few
 * settings nedis does not support yet. nedis-only: Redis supports them all.
 */
const mainJs = new URL("../dist/main.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "nedis-redis-conf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STOCK = "/etc/redis/redis.conf";
// What a stock file holds when none is installed: defaults of implemented and unsupported options.
const STAND_IN = [
  "bind 127.0.0.1 -::1",
  "protected-mode yes",
  "tcp-keepalive 300",
  "databases 16",
  "replica-serve-stale-data yes",
  "replica-read-only yes",
  "repl-diskless-sync yes",
  "oom-score-adj no",
  "appendonly no",
  "activerehashing yes",
  "jemalloc-bg-thread yes",
];
// Process and file settings of the stock file that would leave the test's directory.
const DROPPED = /^(daemonize|supervised|pidfile|logfile|dir|port|bind|unixsocket|unixsocketperm|include)\b/i;
const MIGRATED = ["cluster-enabled yes", "io-threads 4", "repl-backlog-size 64mb"];

function stockConfig(port: number): { text: string; firstMigratedLine: number } {
  const stock = existsSync(STOCK) ? readFileSync(STOCK, "latin1").split("\n") : STAND_IN;
  const kept = stock.map((line) => (DROPPED.test(line.trim()) ? `# (test) ${line}` : line));
  const ours = [`port ${port}`, "bind 127.0.0.1", `dir ${dir}`, 'logfile ""', 'save ""'];
  const lines = [...kept, ...ours, ...MIGRATED];
  return { text: `${lines.join("\n")}\n`, firstMigratedLine: kept.length + ours.length + 1 };
}

describe.skipIf(process.env.NEDIS_TEST_TARGET === "redis" || process.env.NEDIS_TEST_URL)(
  "a stock redis.conf with settings nedis does not support yet (nedis only)",
  () => {
    it("is refused by default, naming the first such option", async () => {
      const { text, firstMigratedLine } = stockConfig(await freePort());
      writeFileSync(join(dir, "strict.conf"), text);
      const r = spawnSync(process.execPath, [mainJs, join(dir, "strict.conf")], {
        encoding: "latin1",
        timeout: 10_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n" +
          `Reading the configuration file, at line ${firstMigratedLine}\n>>> 'cluster-enabled yes'\n` +
          "cluster-enabled is not supported by nedis yet (only 'no' is accepted). Start with --strict-config no to ignore such values.\n",
      );
    });

    it("loads with --strict-config no, logging a line for each unsupported option, and serves", async () => {
      const port = await freePort();
      writeFileSync(join(dir, "lenient.conf"), stockConfig(port).text);
      const server = startServerProcess([join(dir, "lenient.conf"), "--strict-config", "no"], { cwd: dir });
      const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await waitFor(() => server.output().includes("Ready to accept connections"), 10_000, "ready");
        const log = server.output();
        expect(log).toContain(
          "# Ignoring 'cluster-enabled yes' (strict-config no): cluster-enabled is not supported by nedis yet (only 'no' is accepted)",
        );
        expect(log).toContain(
          "# Ignoring 'io-threads 4' (strict-config no): io-threads is not supported by nedis yet (only '1' is accepted)",
        );
        expect(log).toContain(
          "# Ignoring 'repl-backlog-size 64mb' (strict-config no): repl-backlog-size is not supported by nedis yet (only '1048576' is accepted)",
        );
        // The stock file's own unsupported lines are at their defaults: noted once each.
        expect(log).toContain(
          "# 'replica-read-only yes': replica-read-only is not supported by nedis yet; this value is its default (or means off), so nothing is lost",
        );
        expect(log.split("\n").filter((l) => l.includes("'replica-read-only yes'"))).toHaveLength(1);
        await client.connect();
        expect(await client.ping()).toBe("PONG");
        expect(await client.call("CONFIG", "GET", "cluster-enabled", "io-threads")).toEqual([
          "cluster-enabled",
          "no",
          "io-threads",
          "1",
        ]);
      } finally {
        client.disconnect();
        await stopProcess(server.proc);
      }
    });

    it("--strict-config takes yes or no, like any boolean option", () => {
      const r = spawnSync(process.execPath, [mainJs, "--port", "0", "--strict-config", "maybe"], {
        encoding: "latin1",
        timeout: 10_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n" +
          ">>> 'strict-config \"maybe\"'\nargument must be 'yes' or 'no'\n",
      );
    });

    it("refuses loadmodule with or without strict-config: modules are not supported", () => {
      writeFileSync(join(dir, "module.conf"), "port 0\nloadmodule /usr/lib/redis/modules/redisbloom.so\n");
      for (const extra of [[], ["--strict-config", "no"]]) {
        const r = spawnSync(process.execPath, [mainJs, join(dir, "module.conf"), ...extra], {
          encoding: "latin1",
          timeout: 10_000,
        });
        expect(r.status).toBe(1);
        expect(r.stderr).toBe(
          "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n" +
            ">>> 'loadmodule /usr/lib/redis/modules/redisbloom.so'\n" +
            "Modules are not supported by nedis: can't load the module '/usr/lib/redis/modules/redisbloom.so' (remove the loadmodule line)\n",
        );
      }
    });
  },
);
