import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { AclRuleError } from "./AclRuleError.js";
import { hasSpaces } from "./AclSelector.js";
import { type AclUser, mergeSelectorArguments } from "./AclUser.js";
import type { Authenticator } from "./Authenticator.js";
import { describeUser } from "./describeAcl.js";

/** What ACL LOAD did: the users it replaced (their clients must go), or why it changed nothing. */
export type AclFileLoad = { replaced: AclUser[] } | { errors: string };

/**
 * Redis's `ACLLoadFromFile`: every line `user <name> <rules…>` (blank lines allowed, comments
 * are errors since ACL SAVE would drop them). All or nothing: with any error the current users
 * stay and the errors are returned as one line.
 */
export function loadAclFile(auth: Authenticator, filename: string): AclFileLoad {
  let text: string;
  try {
    text = readFileSync(filename, "latin1");
  } catch (err) {
    return { errors: `Error loading ACLs, opening file '${filename}': ${strerror(err)}` };
  }
  const users = new Map<string, AclUser>();
  let errors = "";
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    const linenum = i + 1;
    if (line === "") continue;
    // sdssplitlen on single spaces: runs of spaces give empty words, which are no-op rules.
    const argv = line.split(" ");
    if (argv[0] !== "user" || argv.length < 2) {
      errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
      continue;
    }
    const name = argv[1]!;
    if (hasSpaces(name)) {
      errors += `'${filename}:${linenum}: username '${name}' contains invalid characters. `;
      continue;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
      continue;
    }
    const user = auth.newUser(name);
    users.set(name, user);
    const merged = mergeSelectorArguments(argv.slice(2));
    if ("unmatched" in merged) {
      errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    let syntaxError = false;
    for (const raw of merged.rules) {
      const rule = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, "");
      try {
        user.apply(rule);
      } catch (err) {
        if (!(err instanceof AclRuleError)) throw err;
        // Unknown commands are named; other errors could echo a password, so only the first is told.
        if (err.errno === "ENOENT") {
          errors += `${filename}:${linenum}: Error in applying operation '${rule}': ${err.message}. `;
        } else if (!syntaxError) {
          errors += `${filename}:${linenum}: ${err.message}. `;
          syntaxError = true;
        }
      }
    }
  }
  if (errors !== "") {
    return {
      errors: `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`,
    };
  }
  // The default user object is referenced everywhere: it takes the new rules in place.
  const newDefault = users.get("default") ?? auth.newDefaultUser();
  auth.defaultUser.copyFrom(newDefault);
  users.set("default", auth.defaultUser);
  const replaced = [...auth.users.values()].filter((u) => u !== auth.defaultUser);
  auth.users.clear();
  for (const [name, user] of users) auth.users.set(name, user);
  return { replaced };
}

/** The ACL file text: `user <name> <rules>` per user, sorted by name (ACL SAVE, ACL LIST). */
export function aclFileText(auth: Authenticator): string {
  let out = "";
  for (const u of auth.sortedUsers()) out += `user ${u.name} ${describeUser(u)}\n`;
  return out;
}

/**
 * Redis's `ACLSaveToFile`: writes a temporary file beside the target, then renames it over.
 * Returns null on success, else the reason (for the log).
 */
export function saveAclFile(auth: Authenticator, filename: string): string | null {
  const tmp = `${filename}.tmp-${process.pid}-${Date.now()}`;
  let fd = -1;
  try {
    fd = openSync(tmp, "w", 0o644);
    writeSync(fd, Buffer.from(aclFileText(auth), "latin1"));
    closeSync(fd);
    fd = -1;
    renameSync(tmp, filename);
    return null;
  } catch (err) {
    if (fd !== -1) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was created.
    }
    return strerror(err);
  }
}

/** The C library's text for a Node file error (`No such file or directory`). */
function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "No such file or directory";
    case "EACCES":
      return "Permission denied";
    case "EISDIR":
      return "Is a directory";
    case "ENOTDIR":
      return "Not a directory";
    case "EROFS":
      return "Read-only file system";
    case "ENOSPC":
      return "No space left on device";
    default:
      return (err as Error).message;
  }
}
