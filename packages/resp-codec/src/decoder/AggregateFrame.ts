import { type RespMap, RespPush, type RespValue } from "./RespValue.js";

export const ARRAY = 0x2a; // *
export const MAP = 0x25; // %
export const SET = 0x7e; // ~
export const PUSH = 0x3e; // >
export const ATTRIBUTE = 0x7c; // |
export const STREAMED_STRING = 0x24; // $?

/** How aggregates are materialised (from the decoder options). */
export interface AggregateShapes {
  maps: "map" | "object";
  sets: "set" | "array";
}

/**
 * An aggregate being filled while its elements arrive, possibly across many chunks. The decoder
 * keeps a stack of these instead of recursing, so nesting depth never touches the call stack.
 */
export class AggregateFrame {
  /** Attributes that arrived for the next element, outermost first (applied when it completes). */
  attributes: RespMap[] | null = null;

  constructor(
    /** The type byte; STREAMED_STRING collects `;` chunks. */
    readonly type: number,
    /** Elements still expected (a map counts keys and values); -1 when streamed (ends with `.`). */
    public remaining: number,
    readonly items: RespValue[] = [],
  ) {}
}

/** The JS value of a completed aggregate (not for streamed strings). */
export function buildAggregate(type: number, items: RespValue[], shapes: AggregateShapes): RespValue {
  switch (type) {
    case ARRAY:
      return items;
    case SET:
      return shapes.sets === "set" ? new Set(items) : items;
    case PUSH:
      return new RespPush(items);
    default:
      return buildMap(items, shapes);
  }
}

/** A map (or attributes) from its flat key, value, key, value… list. */
export function buildMap(items: RespValue[], shapes: AggregateShapes): RespMap {
  if (shapes.maps === "map") {
    const map = new Map<RespValue, RespValue>();
    for (let i = 0; i < items.length; i += 2) map.set(items[i]!, items[i + 1]!);
    return map;
  }
  const object: { [key: string]: RespValue } = {};
  for (let i = 0; i < items.length; i += 2) {
    const key = objectKey(items[i]!);
    // A "__proto__" key must be a property, not the prototype.
    if (key === "__proto__")
      Object.defineProperty(object, key, {
        value: items[i + 1]!,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else object[key] = items[i + 1]!;
  }
  return object;
}

function objectKey(key: RespValue): string {
  if (typeof key === "string") return key;
  if (Buffer.isBuffer(key)) return key.toString("utf8");
  return String(key);
}
