import type { CommandArgs, CommandSpec } from "../commands/CommandSpec.js";
import type { ConfigStore } from "../config/ConfigStore.js";

/** Redis's `shared.redacted`: what SLOWLOG and MONITOR show instead of a secret. */
export const REDACTED = Buffer.from("(redacted)", "latin1");

/**
 * The arguments Redis 7.0 hides with `redactClientCommandArgument` before SLOWLOG and MONITOR
 * see the command: AUTH's credentials, HELLO's AUTH pair, MIGRATE's AUTH/AUTH2, the values of
 * sensitive options in CONFIG SET, and every argument of ACL SETUSER. Returns, per argument
 * index, the replacement (or undefined to keep it), or null when nothing is hidden.
 *
 * The rules follow each command's own parsing, so an argument is hidden only where Redis's
 * handler had reached it (HELLO stops redacting at its first bad option, AUTH with too many
 * arguments redacts nothing).
 */
export function redactedArguments(
  config: ConfigStore,
  container: CommandSpec,
  cmd: CommandSpec,
  args: CommandArgs,
): (Uint8Array | undefined)[] | null {
  const argc = args.argc;
  switch (container.name) {
    case "auth": {
      if (argc > 3) return null;
      const out = new Array<Uint8Array | undefined>(argc);
      for (let j = 1; j < argc; j++) out[j] = REDACTED;
      return out;
    }
    case "hello": {
      if (argc < 2) return null;
      let out: (Uint8Array | undefined)[] | null = null;
      for (let j = 2; j < argc; j++) {
        const more = argc - 1 - j;
        if (args.argEquals(j, "auth") && more >= 2) {
          out ??= new Array<Uint8Array | undefined>(argc);
          out[j + 1] = REDACTED;
          out[j + 2] = REDACTED;
          j += 2;
        } else if (args.argEquals(j, "setname") && more >= 1) {
          j++;
        } else {
          break;
        }
      }
      return out;
    }
    case "migrate": {
      let out: (Uint8Array | undefined)[] | null = null;
      for (let j = 6; j < argc; j++) {
        const more = argc - 1 - j;
        if (args.argEquals(j, "auth") && more >= 1) {
          out ??= new Array<Uint8Array | undefined>(argc);
          out[++j] = REDACTED;
        } else if (args.argEquals(j, "auth2") && more >= 2) {
          out ??= new Array<Uint8Array | undefined>(argc);
          out[++j] = REDACTED;
          out[++j] = REDACTED;
        } else if (!args.argEquals(j, "copy") && !args.argEquals(j, "replace")) {
          break; // KEYS, or a syntax error: Redis's parser stops here.
        }
      }
      return out;
    }
    case "config": {
      if (cmd.name !== "set" || argc < 4 || argc % 2 !== 0) return null;
      let out: (Uint8Array | undefined)[] | null = null;
      for (let j = 2; j + 1 < argc; j += 2) {
        if (config.lookup(args.argString(j))?.sensitive === true) {
          out ??= new Array<Uint8Array | undefined>(argc);
          out[j + 1] = REDACTED;
        }
      }
      return out;
    }
    case "acl": {
      if (cmd.name !== "setuser" || argc < 3) return null;
      const out = new Array<Uint8Array | undefined>(argc);
      for (let j = 2; j < argc; j++) out[j] = REDACTED;
      return out;
    }
    default:
      return null;
  }
}

/** Container names with a redaction rule: the observer checks this before doing any work. */
export const REDACTING_COMMANDS: ReadonlySet<string> = new Set(["auth", "hello", "migrate", "config", "acl"]);
