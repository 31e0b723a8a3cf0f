import type { ConfigOption } from "./ConfigOption.js";
import type { ConfigChange, ConfigStore } from "./ConfigStore.js";

/**
 * CONFIG SET name value [name value ...] (Redis's `configSetCommand`): every name is checked
 * (unknown, immutable, protected, duplicate), then every value parsed in order, then all are
 * committed at once. Any failure leaves the configuration as it was. A value nedis does not
 * support yet (see `OptionStatus`) fails like a value Redis's own checks refuse.
 *
 * @param pairs - the name/value arguments
 * @param clientIsLocal - a loopback or unix-socket client (`enable-protected-configs local`)
 * @returns null on success, else the error reply with Redis's text
 */
export function configSet(
  store: ConfigStore,
  pairs: readonly (readonly [string, string])[],
  clientIsLocal: boolean,
): string | null {
  let unknownName: string | null = null;
  let invalid: { name: string; reason: string } | null = null;
  const staged: { entry: string; option: ConfigOption; text: string }[] = [];
  for (const [name, text] of pairs) {
    const option = store.lookup(name);
    if (option === undefined) {
      if (unknownName === null && invalid === null) unknownName = name;
      continue;
    }
    if (unknownName !== null || invalid !== null) continue;
    if (!option.mutable) invalid = { name, reason: "can't set immutable config" };
    else if (option.protected && !protectedAllowed(store, clientIsLocal))
      invalid = { name, reason: "can't set protected config" };
    // A name and its alias are two entries to Redis: only the very same name is a duplicate.
    else if (staged.some((s) => s.entry === name.toLowerCase())) invalid = { name, reason: "duplicate parameter" };
    else staged.push({ entry: name.toLowerCase(), option, text });
  }
  if (unknownName !== null) return `ERR Unknown option or number of arguments for CONFIG SET - '${unknownName}'`;
  if (invalid !== null) return setFailed(invalid.name, invalid.reason);

  const current = new Map<ConfigOption, unknown>();
  const changes: ConfigChange[] = [];
  for (const { entry, option, text } of staged) {
    // Redis splits a multi-word value at every single space (`sdssplitlen`): "" is no words.
    const words = option.multiArg ? (text === "" ? [] : text.split(" ")) : [text];
    const value = current.has(option) ? current.get(option) : store.value(option);
    const parsed = option.kind.parse(words, { current: value, appending: false, command: true });
    if (!parsed.ok) return setFailed(entry, parsed.error);
    // A not-yet-supported option keeps its default: CONFIG GET goes on answering it.
    const refusal = store.refusal(option, parsed.value);
    if (refusal !== null) return setFailed(entry, refusal);
    current.set(option, parsed.value);
    changes.push({ option, value: parsed.value });
  }
  const failure = store.commit(changes);
  if (failure === null) return null;
  return setFailed(staged.find((s) => s.option === failure.option)?.entry ?? failure.option.name, failure.error);
}

function setFailed(name: string, reason: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}

/** `allowProtectedAction(server.enable_protected_configs, c)`. */
function protectedAllowed(store: ConfigStore, clientIsLocal: boolean): boolean {
  const mode = store.string("enable-protected-configs");
  return mode === "yes" || (mode === "local" && clientIsLocal);
}
