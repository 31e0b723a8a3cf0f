import { parseInteger } from "@nedis/resp-codec";
import type { CommandArgs, CommandSpec } from "./CommandSpec.js";
import { mapField, redisCommandInfo, type TypedValue } from "./metadata/RedisMetadata.js";

/**
 * Redis 7.0 key specs, read from Redis's own metadata: where a command's keys are and how they
 * are used. Drives COMMAND GETKEYS and, later, ACL key checks and cluster slot routing.
 */
export interface KeySpec {
  flags: string[];
  begin:
    | { kind: "index"; index: number }
    | { kind: "keyword"; keyword: string; startFrom: number }
    | { kind: "unknown" };
  find:
    | { kind: "range"; lastKey: number; keyStep: number; limit: number }
    | { kind: "keynum"; keyNumIndex: number; firstKey: number; keyStep: number }
    | { kind: "unknown" };
}

/** A key found in a command line: its argument index and the flags of the spec that found it. */
export interface FoundKey {
  index: number;
  flags: readonly string[];
}

const cache = new Map<string, KeySpec[]>();

function num(v: TypedValue | undefined): number {
  return v !== undefined && v[0] === "int" ? v[1] : 0;
}

function str(v: TypedValue | undefined): string {
  return v !== undefined && typeof v[1] === "string" ? v[1] : "";
}

function parseSpec(spec: TypedValue): KeySpec {
  const flagsValue = mapField(spec, "flags");
  const flags = flagsValue !== undefined && Array.isArray(flagsValue[1]) ? flagsValue[1].map((f) => str(f)) : [];
  const bs = mapField(spec, "begin_search")!;
  const bsType = str(mapField(bs, "type"));
  const bsSpec = mapField(bs, "spec")!;
  const begin: KeySpec["begin"] =
    bsType === "index"
      ? { kind: "index", index: num(mapField(bsSpec, "index")) }
      : bsType === "keyword"
        ? {
            kind: "keyword",
            keyword: str(mapField(bsSpec, "keyword")).toLowerCase(),
            startFrom: num(mapField(bsSpec, "startfrom")),
          }
        : { kind: "unknown" };
  const fk = mapField(spec, "find_keys")!;
  const fkType = str(mapField(fk, "type"));
  const fkSpec = mapField(fk, "spec")!;
  const find: KeySpec["find"] =
    fkType === "range"
      ? {
          kind: "range",
          lastKey: num(mapField(fkSpec, "lastkey")),
          keyStep: num(mapField(fkSpec, "keystep")),
          limit: num(mapField(fkSpec, "limit")),
        }
      : fkType === "keynum"
        ? {
            kind: "keynum",
            keyNumIndex: num(mapField(fkSpec, "keynumidx")),
            firstKey: num(mapField(fkSpec, "firstkey")),
            keyStep: num(mapField(fkSpec, "keystep")),
          }
        : { kind: "unknown" };
  return { flags, begin, find };
}

/** The key specs of `container|sub` or a top-level command. */
export function keySpecsOf(fullName: string): KeySpec[] {
  let specs = cache.get(fullName);
  if (specs === undefined) {
    const info = redisCommandInfo(fullName);
    const list = info !== undefined && info[0] === "array" ? info[1][8] : undefined;
    specs = list !== undefined && Array.isArray(list[1]) ? list[1].map((s) => parseSpec(s as TypedValue)) : [];
    cache.set(fullName, specs);
  }
  return specs;
}

/**
 * Derives the key specs of every command up front, while the metadata snapshot is read anyway:
 * the snapshot is held weakly, and a lookup after the collector dropped it would read it again.
 */
export function deriveKeySpecs(commands: readonly CommandSpec[]): void {
  for (const cmd of commands) {
    keySpecsOf(cmd.name);
    for (const sub of cmd.subcommands ?? []) keySpecsOf(`${cmd.name}|${sub.name}`);
  }
}

export function fullNameOf(cmd: CommandSpec, container: CommandSpec): string {
  return cmd === container ? cmd.name : `${container.name}|${cmd.name}`;
}

/** Redis's `doesCommandHaveKeys`: a key spec that is not NOT_KEY, or a key-finding procedure. */
export function commandHasKeys(cmd: CommandSpec, fullName: string): boolean {
  return cmd.getKeys !== undefined || keySpecsOf(fullName).some((s) => !s.flags.includes("not_key"));
}

/**
 * Redis's `getKeysFromCommandWithSpecs`: keys found by the specs, or by the command's own
 * procedure when a spec is incomplete or has variable flags. `first` is the argument index of
 * the command name (2 for COMMAND GETKEYS). Returns null when the arguments are invalid.
 */
export function findKeys(cmd: CommandSpec, fullName: string, args: CommandArgs, first: number): FoundKey[] | null {
  const specs = keySpecsOf(fullName);
  const usable = specs.some((s) => !s.flags.includes("not_key"));
  const varFlags = specs.some((s) => s.flags.includes("variable_flags"));
  // Specs with variable flags still say where the keys are: without the command's own procedure
  // they are used as they are, so no key ever escapes ACL checks.
  if (usable && (!varFlags || cmd.getKeys === undefined)) {
    const keys = keysFromSpecs(specs, args, first, cmd.arity);
    if (keys !== null) return keys;
  }
  if (cmd.getKeys !== undefined) return cmd.getKeys(args, first);
  return usable ? null : [];
}

function keysFromSpecs(specs: KeySpec[], args: CommandArgs, base: number, arity: number): FoundKey[] | null {
  const argc = args.argc - base;
  const keys: FoundKey[] = [];
  for (const spec of specs) {
    let first: number;
    if (spec.begin.kind === "index") {
      first = spec.begin.index;
    } else if (spec.begin.kind === "keyword") {
      const { keyword, startFrom } = spec.begin;
      const start = startFrom >= 0 ? startFrom : argc + startFrom;
      const end = startFrom >= 0 ? argc - 1 : 1;
      const step = startFrom >= 0 ? 1 : -1;
      first = 0;
      for (let i = start; step > 0 ? i <= end : i >= end; i += step) {
        if (i < 0 || i >= argc) break;
        if (args.argEquals(base + i, keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // keyword absent: this spec finds no keys
    } else {
      return null;
    }
    let last: number;
    let step: number;
    if (spec.find.kind === "range") {
      const { lastKey, keyStep, limit } = spec.find;
      if (lastKey >= 0) last = first + lastKey;
      else if (limit === 0) last = argc + lastKey;
      else last = first + (Math.trunc((argc - first) / limit) + lastKey);
      step = keyStep;
    } else if (spec.find.kind === "keynum") {
      const { keyNumIndex, firstKey, keyStep } = spec.find;
      if (keyNumIndex >= argc || first + keyNumIndex >= argc) return null;
      const at = base + first + keyNumIndex;
      const off = args.offsets[at]!;
      const numKeys = parseInteger(args.buffer, off, off + args.lengths[at]!);
      if (Number.isNaN(numKeys) || numKeys < 0) return null;
      first += firstKey;
      last = first + numKeys - 1;
      step = keyStep;
    } else {
      return null;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) {
        if (arity < 0) continue;
        return null;
      }
      keys.push({ index: base + i, flags: spec.flags });
    }
    if (spec.flags.includes("incomplete")) return null;
  }
  return keys;
}
