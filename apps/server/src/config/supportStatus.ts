import type { ConfigOption } from "./ConfigOption.js";

/**
 * Whether a not-yet-supported option refuses `value`: anything but its default and its "off"
 * values (each parsed as a config file line would be) is refused.
 */
export function refusesValue(
  opt: ConfigOption,
  value: unknown,
  defaultValue: unknown,
  same: (a: unknown, b: unknown) => boolean,
): boolean {
  const status = opt.status;
  if (status.kind !== "not yet supported" || same(value, defaultValue)) return false;
  for (const text of status.off) {
    const parsed = opt.kind.parse(wordsOf(opt, text), { current: defaultValue, appending: false, command: false });
    if (parsed.ok && same(parsed.value, value)) return false;
  }
  return true;
}

/** The error naming the option: `cluster-enabled is not supported by nedis yet (only 'no' is accepted)`. */
export function notYetSupportedReason(opt: ConfigOption): string {
  const off = opt.status.kind === "not yet supported" ? opt.status.off : [];
  const accepted = [...new Set([opt.defaultText, ...off])].map((t) => `'${t}'`).join(" or ");
  return `${opt.name} is not supported by nedis yet (only ${accepted} is accepted)`;
}

function wordsOf(opt: ConfigOption, text: string): string[] {
  return opt.multiArg ? text.split(" ").filter((w) => w !== "") : [text];
}
