import type { CommandRename } from "../commands/CommandTable.js";
import { redisCommandNames } from "../commands/metadata/RedisMetadata.js";

/**
 * The config file's `rename-command <name> <new-name>` lines, checked in order the way Redis
 * checks them against its command table (`loadServerConfigFromString`): the name must be a
 * command under its current name, the new name ("" removes the command) must be free. The
 * server's command table applies them (CommandTable).
 */
export class CommandRenames {
  readonly renames: CommandRename[] = [];
  /** Lowercase top-level names as renamed so far; Redis 7.0's commands, read on first use. */
  private names: Set<string> | null = null;

  /** Adds one rename; returns Redis's error text, or null. */
  add(from: string, to: string): string | null {
    this.names ??= new Set(redisCommandNames().filter((name) => !name.includes("|")));
    const source = asciiLower(from);
    // A `container|sub` name: Redis finds the subcommand, then fails an assertion removing it.
    if (!this.names.has(source)) return "No such command in rename-command";
    this.names.delete(source);
    if (to !== "") {
      const target = asciiLower(to);
      if (this.names.has(target)) return "Target command name already exists";
      this.names.add(target);
    }
    this.renames.push([source, to]);
    return null;
  }
}

function asciiLower(name: string): string {
  return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
