/**
 * The settings one `cjson` table carries (lua_cjson.c's `json_config_t`, the upvalue its functions
 * share), with Redis 7.0's defaults. `cjson.new()` starts another table with its own.
 */
export interface CjsonConfig {
  encodeSparseConvert: number;
  encodeSparseRatio: number;
  encodeSparseSafe: number;
  encodeMaxDepth: number;
  /** 0: error, 1: write "inf"/"nan", 2: write "null". */
  encodeInvalidNumbers: number;
  encodeNumberPrecision: number;
  encodeKeepBuffer: number;
  decodeInvalidNumbers: number;
  decodeMaxDepth: number;
}

const FIELDS = [
  "encodeSparseConvert",
  "encodeSparseRatio",
  "encodeSparseSafe",
  "encodeMaxDepth",
  "encodeInvalidNumbers",
  "encodeNumberPrecision",
  "encodeKeepBuffer",
  "decodeInvalidNumbers",
  "decodeMaxDepth",
] as const satisfies readonly (keyof CjsonConfig)[];

/** Bytes of a config stored in Lua memory (a full userdata): one uint32 per field. */
export const CJSON_CONFIG_SIZE = FIELDS.length * 4;

export function defaultCjsonConfig(): CjsonConfig {
  return {
    encodeSparseConvert: 0,
    encodeSparseRatio: 2,
    encodeSparseSafe: 10,
    encodeMaxDepth: 1000,
    encodeInvalidNumbers: 0,
    encodeNumberPrecision: 14,
    encodeKeepBuffer: 1,
    decodeInvalidNumbers: 1,
    decodeMaxDepth: 1000,
  };
}

/**
 * A {@link CjsonConfig} read and written in place in Lua memory, where its cjson table's
 * functions keep it (a userdata upvalue, collected with them). {@link at} points it at one
 * config; `memory` returns the current view of the wasm memory, which can be replaced as it grows.
 */
export class CjsonConfigCell implements CjsonConfig {
  private base = 0;

  constructor(private readonly memory: () => Uint32Array) {}

  /** Points the cell at the config stored at byte address `pointer`; returns it. */
  at(pointer: number): this {
    this.base = pointer >>> 2;
    return this;
  }

  /** Writes Redis's defaults at byte address `pointer` (a new cjson table). */
  initialize(pointer: number): void {
    this.at(pointer);
    const defaults = defaultCjsonConfig();
    for (const f of FIELDS) this[f] = defaults[f];
  }

  private get(i: number): number {
    return this.memory()[this.base + i]!;
  }

  private set(i: number, v: number): void {
    this.memory()[this.base + i] = v;
  }

  get encodeSparseConvert(): number {
    return this.get(0);
  }
  set encodeSparseConvert(v: number) {
    this.set(0, v);
  }
  get encodeSparseRatio(): number {
    return this.get(1);
  }
  set encodeSparseRatio(v: number) {
    this.set(1, v);
  }
  get encodeSparseSafe(): number {
    return this.get(2);
  }
  set encodeSparseSafe(v: number) {
    this.set(2, v);
  }
  get encodeMaxDepth(): number {
    return this.get(3);
  }
  set encodeMaxDepth(v: number) {
    this.set(3, v);
  }
  get encodeInvalidNumbers(): number {
    return this.get(4);
  }
  set encodeInvalidNumbers(v: number) {
    this.set(4, v);
  }
  get encodeNumberPrecision(): number {
    return this.get(5);
  }
  set encodeNumberPrecision(v: number) {
    this.set(5, v);
  }
  get encodeKeepBuffer(): number {
    return this.get(6);
  }
  set encodeKeepBuffer(v: number) {
    this.set(6, v);
  }
  get decodeInvalidNumbers(): number {
    return this.get(7);
  }
  set decodeInvalidNumbers(v: number) {
    this.set(7, v);
  }
  get decodeMaxDepth(): number {
    return this.get(8);
  }
  set decodeMaxDepth(v: number) {
    this.set(8, v);
  }
}
