import { HashValueType } from "./hash/HashValueType.js";
import { ListType } from "./list/ListType.js";
import { SetType } from "./set/SetValueType.js";
import { StreamType } from "./stream/StreamType.js";
import { StringType } from "./string/StringType.js";
import type { ValueType } from "./ValueType.js";
import { ZSetType } from "./zset/ZSetType.js";

/**
 * The value types, indexed by type number (the meta word's 3 type bits). Strings register
 * themselves (see `string/StringType.ts`); every other type adds one row here through
 * {@link registerValueType}, and nothing else in the keyspace learns of it.
 */
const VALUE_TYPES: (ValueType | undefined)[] = new Array(8).fill(undefined);
const BY_RDB_TYPE = new Map<number, ValueType>();

/**
 * Whether (type, encoding) keeps its value out of line, indexed by the meta word's bits 24–30
 * (`(meta >>> 24) & 0x7f`): the delete path tests one byte instead of asking the type.
 */
export const OUT_OF_LINE = new Uint8Array(128);

/** Adds (or replaces) the type registered under `valueType.type`. */
export function registerValueType(valueType: ValueType): void {
  const t = valueType.type;
  if (!Number.isInteger(t) || t < 0 || t > 7) throw new RangeError(`keyspace: value type number ${t} is not in 0..7`);
  unregisterValueType(t);
  VALUE_TYPES[t] = valueType;
  for (const r of valueType.rdbTypes) BY_RDB_TYPE.set(r, valueType);
  for (const e of valueType.outOfLineEncodings) OUT_OF_LINE[(t << 4) | (e & 15)] = 1;
}

/** Removes a registered type (tests of toy types). */
export function unregisterValueType(type: number): void {
  const previous = VALUE_TYPES[type];
  if (previous === undefined) return;
  for (const r of previous.rdbTypes) BY_RDB_TYPE.delete(r);
  OUT_OF_LINE.fill(0, type << 4, (type + 1) << 4);
  VALUE_TYPES[type] = undefined;
}

/** The type registered under `type`; throws for a number nothing registered (a keyspace bug). */
export function valueTypeOf(type: number): ValueType {
  const valueType = VALUE_TYPES[type];
  if (valueType === undefined) throw new Error(`keyspace: no value type ${type} is registered`);
  return valueType;
}

/** The type that loads RDB type byte `rdbType`, or undefined (RESTORE refuses the payload). */
export function valueTypeForRdb(rdbType: number): ValueType | undefined {
  return BY_RDB_TYPE.get(rdbType);
}

/** TYPE's name for type number `type`. */
export function typeName(type: number): string {
  return VALUE_TYPES[type]?.name ?? "unknown";
}

/** True when the meta word's type and encoding keep the value out of line. */
export function isOutOfLineMeta(meta: number): boolean {
  return OUT_OF_LINE[(meta >>> 24) & 0x7f] === 1;
}

// The built-in types, one row each.
registerValueType(StringType);
registerValueType(ListType);
registerValueType(HashValueType);
registerValueType(SetType);
registerValueType(ZSetType);
registerValueType(StreamType);
