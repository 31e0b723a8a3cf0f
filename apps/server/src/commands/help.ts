import type { Client } from "../net/Client.js";

/**
 * Redis's `addReplyHelp`: "<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
 * the command's lines, then the closing HELP entry, each as a status reply.
 */
export function replyHelp(client: Client, command: string, lines: readonly string[]): void {
  const w = client.writer;
  w.arrayHeader(lines.length + 3);
  w.simple(`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) w.simple(line);
  w.simple("HELP");
  w.simple("    Prints this help.");
}

/** Redis's `addReplySubcommandSyntaxError`, for a known subcommand used with the wrong arguments. */
export function replySubcommandSyntaxError(client: Client, command: string, subcommand: string): void {
  client.writer.error(
    `ERR unknown subcommand or wrong number of arguments for '${subcommand.slice(0, 128)}'. Try ${command} HELP.`,
  );
}
