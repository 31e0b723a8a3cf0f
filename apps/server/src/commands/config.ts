import { SharedReplies } from "@nedis/resp-codec";
import { matchConfigNames } from "../config/configGet.js";
import { configSet } from "../config/configSet.js";
import { rewriteConfigFile } from "../config/rewriteConfig.js";
import { strerror } from "../config/specialKinds.js";
import type { Client } from "../net/Client.js";
import { defineCommand } from "./CommandSpec.js";

/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP (Redis's `config.c` commands). The option table
 * and its rules live in `src/config`; these handlers only read arguments and write replies.
 */

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
  "HELP",
  "    Prints this help.",
];

/** Redis's `islocalClient`: a unix socket or a loopback address. */
function isLocalClient(client: Client): boolean {
  const addr = client.addr;
  const ip = addr.slice(0, addr.lastIndexOf(":"));
  return ip === "127.0.0.1" || ip === "::1" || addr.startsWith("/");
}

export const configCommands = [
  /** CONFIG <subcommand> */
  defineCommand({
    name: "config",
    handler(_server, client) {
      client.writer.error("ERR unknown subcommand. Try CONFIG HELP.");
    },
    // In the order Redis 7.0 lists them (COMMAND INFO / DOCS).
    subcommands: [
      /** CONFIG SET parameter value [parameter value ...] */
      defineCommand({
        name: "set",
        handler(server, client, args) {
          if (args.argc % 2 !== 0) {
            client.writer.error("ERR syntax error");
            return;
          }
          const pairs: [string, string][] = [];
          for (let i = 2; i < args.argc; i += 2) pairs.push([args.argString(i), args.argString(i + 1)]);
          const error = configSet(server.config, pairs, isLocalClient(client));
          if (error === null) client.writer.raw(SharedReplies.ok);
          else client.writer.error(error);
        },
      }),
      /** CONFIG RESETSTAT */
      defineCommand({
        name: "resetstat",
        handler(server, client) {
          server.config.resetStats();
          client.writer.raw(SharedReplies.ok);
        },
      }),
      /** CONFIG REWRITE */
      defineCommand({
        name: "rewrite",
        handler(server, client) {
          const path = server.config.configFile;
          if (path === null) {
            client.writer.error("ERR The server is running without a config file");
            return;
          }
          try {
            rewriteConfigFile(server.config, path);
          } catch (err) {
            server.log.warning(`CONFIG REWRITE failed: ${strerror(err)}`);
            client.writer.error(`ERR Rewriting config file: ${strerror(err)}`);
            return;
          }
          server.log.warning("CONFIG REWRITE executed with success.");
          client.writer.raw(SharedReplies.ok);
        },
      }),
      /** CONFIG GET parameter [parameter ...] */
      defineCommand({
        name: "get",
        handler(server, client, args) {
          const patterns: string[] = [];
          for (let i = 2; i < args.argc; i++) patterns.push(args.argString(i));
          const matches = matchConfigNames(server.config, patterns);
          const w = client.writer;
          w.mapHeader(matches.length);
          for (const [name, option] of matches) {
            w.bulkString(name);
            w.bulkString(server.config.format(option));
          }
        },
      }),
      /** CONFIG HELP */
      defineCommand({
        name: "help",
        handler(_server, client) {
          client.writer.arrayHeader(CONFIG_HELP.length);
          for (const line of CONFIG_HELP) client.writer.simple(line);
        },
      }),
    ],
  }),
];
