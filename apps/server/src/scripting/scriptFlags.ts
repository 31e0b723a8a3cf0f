/** Redis's `SCRIPT_FLAG_*`: what a shebang (`#!lua flags=…`) or `register_function` declares. */
export const ScriptFlag = {
  NoWrites: 1 << 0,
  AllowOom: 1 << 1,
  AllowStale: 1 << 2,
  NoCluster: 1 << 3,
  /** EVAL without a shebang: Redis 6 behaviour. */
  EvalCompatMode: 1 << 4,
  AllowCrossSlot: 1 << 5,
} as const;

/** `scripts_flags_def`: flag names in Redis's order. */
export const SCRIPT_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ["no-writes", ScriptFlag.NoWrites],
  ["allow-oom", ScriptFlag.AllowOom],
  ["allow-stale", ScriptFlag.AllowStale],
  ["no-cluster", ScriptFlag.NoCluster],
  ["allow-cross-slot-keys", ScriptFlag.AllowCrossSlot],
];

export type ShebangResult = { flags: number; shebangLength: number } | { error: string };

/**
 * Redis's `evalExtractShebangFlags`: `#!lua [flags=a,b]` on the first line of an EVAL script.
 * Without one the script runs in compatibility mode.
 */
export function parseShebang(body: Uint8Array): ShebangResult {
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21)
    return { flags: ScriptFlag.EvalCompatMode, shebangLength: 0 };
  const end = body.indexOf(0x0a);
  if (end < 0) return { error: "Invalid script shebang" };
  const parts = Buffer.from(body.subarray(0, end))
    .toString("latin1")
    .split(/[ \t\r\v\f]+/)
    .filter((p) => p.length > 0);
  if (parts.length === 0) return { error: "Invalid engine in script shebang" };
  if (parts[0] !== "#!lua") return { error: `Unexpected engine in script shebang: ${parts[0]}` };
  let flags = 0;
  for (const part of parts.slice(1)) {
    if (!part.startsWith("flags=")) return { error: `Unknown lua shebang option: ${part}` };
    const names = part.slice(6);
    if (names.length === 0) continue;
    for (const name of names.split(",")) {
      const flag = SCRIPT_FLAG_NAMES.find(([n]) => n === name);
      if (flag === undefined) return { error: `Unexpected flag in script shebang: ${name}` };
      flags |= flag[1];
    }
  }
  return { flags, shebangLength: end };
}
