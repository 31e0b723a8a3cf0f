import { globMatchString } from "@nedis/pubsub";
import type { ConfigOption } from "./ConfigOption.js";
import type { ConfigStore } from "./ConfigStore.js";

/**
 * The names CONFIG GET replies with for `patterns` (Redis's `configGetCommand`): a pattern
 * without `*`, `?` or `[` is looked up exactly (any case, hidden options too) and answered under
 * the name as given; a glob matches names and aliases case-insensitively, hidden and nedis-only
 * options excepted (so `CONFIG GET *` lists what Redis lists). Each name is listed once, in table order within a pattern.
 */
export function matchConfigNames(store: ConfigStore, patterns: readonly string[]): [string, ConfigOption][] {
  const seen = new Set<string>();
  const matches: [string, ConfigOption][] = [];
  for (const pattern of patterns) {
    if (!/[[*?]/.test(pattern)) {
      const key = pattern.toLowerCase();
      const opt = store.lookup(pattern);
      if (opt === undefined || seen.has(key)) continue;
      seen.add(key);
      matches.push([pattern, opt]);
      continue;
    }
    for (const { name, option } of store.names) {
      if (option.hidden || option.nedisOnly || seen.has(name) || !globMatchString(pattern, name, true)) continue;
      seen.add(name);
      matches.push([name, option]);
    }
  }
  return matches;
}
