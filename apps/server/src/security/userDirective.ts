import { REDIS_ACL_COMMANDS } from "./AclCommandSet.js";
import { AclRuleError } from "./AclRuleError.js";
import { AclUser, mergeSelectorArguments } from "./AclUser.js";

/**
 * Redis's `ACLAppendUserForLoading`: checks a `user <name> <rules…>` config line (`words` is
 * what follows `user`) before it is kept for startup. Returns the config error text, or null.
 * Unknown commands are not errors yet (Redis reports them when the users are created, see
 * `AuthenticatorOptions.configuredUsers`). Lines with a name already declared are refused.
 */
export function validateUserDirective(
  words: readonly string[],
  earlier: readonly (readonly string[])[],
): string | null {
  // Redis prints argv[j] of the whole line for the rule j that failed: its index is off by two.
  const line = ["user", ...words];
  const fail = (j: number, message: string) => `Error in user declaration '${line[j] ?? ""}': ${message}`;
  const name = words[0];
  if (name === undefined) return "Bad directive or wrong number of arguments";
  if (earlier.some((w) => w[0] === name)) return fail(1, new AclRuleError("EALREADY").message);
  const merged = mergeSelectorArguments(words.slice(1));
  if ("unmatched" in merged) return fail(merged.unmatched, new AclRuleError("ENOENT").message);
  const fake = new AclUser(name, { commands: REDIS_ACL_COMMANDS, allChannelsByDefault: () => false });
  for (let j = 0; j < merged.rules.length; j++) {
    try {
      fake.apply(merged.rules[j]!);
    } catch (err) {
      if (!(err instanceof AclRuleError)) throw err;
      if (err.errno !== "ENOENT") return fail(j, err.message);
    }
  }
  return null;
}
