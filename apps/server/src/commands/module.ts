import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import type { CommandArgs } from "./CommandSpec.js";
import { defineCommand } from "./CommandSpec.js";
import { replyHelp } from "./help.js";

const MODULE_HELP = [
  "LIST",
  "    Return a list of loaded modules.",
  "LOAD <path> [<arg> ...]",
  "    Load a module library from <path>, passing to it any optional arguments.",
  "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
  "    Load a module library from <path>, while passing it module configurations and optional arguments.",
  "UNLOAD <name>",
  "    Unload a module.",
];

/**
 * LOAD and LOADEX, once `enable-module-command` lets them run (the dispatcher checks): nedis
 * cannot load Redis modules (native code for Redis's C API), so every load fails as a failed
 * dlopen does in Redis, with the reason in the log.
 */
function refuseLoad(server: ServerContext, client: Client, args: CommandArgs): void {
  server.log.warning(`Module ${args.argString(2)} failed to load: modules are not supported by nedis`);
  client.writer.error("ERR Error loading the extension. Please check the server logs.");
}

/** MODULE LIST | LOAD | LOADEX | UNLOAD | HELP (module.c's moduleCommand); no module is ever loaded. */
export const moduleCommands = [
  defineCommand({
    name: "module",
    handler: () => {},
    subcommands: [
      /** MODULE LIST */
      defineCommand({ name: "list", handler: (_server, client) => client.writer.arrayHeader(0) }),
      /** MODULE LOAD path [arg ...] */
      defineCommand({ name: "load", handler: refuseLoad }),
      /** MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...] */
      defineCommand({ name: "loadex", handler: refuseLoad }),
      /** MODULE UNLOAD name */
      defineCommand({
        name: "unload",
        handler: (_server, client) => client.writer.error("ERR Error unloading module: no such module with that name"),
      }),
      /** MODULE HELP */
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "MODULE", MODULE_HELP) }),
    ],
  }),
];
