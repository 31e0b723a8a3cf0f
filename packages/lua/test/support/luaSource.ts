/**
 * Random Lua values written as Lua source, for property tests that build the same value in our VM
 * and in Redis. Numbers are written so both parse the same double; strings as \ddd escapes so any
 * byte survives; tables as constructors (the same source gives the same table layout, hence the
 * same `next` order, in both).
 */
import fc from "fast-check";
import { luaStringLiteral } from "./luaHarness.js";

/** A Lua expression for the double `x` (no NaN: its sign differs between machines). */
export function luaNumber(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return "(1/0)";
  if (x === Number.NEGATIVE_INFINITY) return "(-1/0)";
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${x})` : String(x);
}

const numbers = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.5, 0.1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 63, -(2 ** 63), 2 ** 64, 1e14, 1e15, 123456789012345),
);

const strings = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => Buffer.from(s, "utf8")),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
  fc.constantFrom("", "a", "key", "/", '"', "\\", "\u00e9").map((s) => Buffer.from(s, "utf8")),
);

/** Lua source for a scalar: number, string or boolean. */
export const luaScalar: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: numbers.map(luaNumber) },
  { weight: 3, arbitrary: strings.map(luaStringLiteral) },
  { weight: 1, arbitrary: fc.boolean().map(String) },
);

/** Lua source for a value: scalars, arrays, maps (string or integer keys) and mixtures. */
export const luaValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: luaScalar },
    {
      weight: 1,
      arbitrary: fc.array(tie("value"), { maxLength: 6 }).map((items) => `{${items.join(", ")}}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(
          fc.tuple(
            fc.oneof(
              strings.map(luaStringLiteral),
              fc.integer({ min: -3, max: 40 }).map(String),
              fc.constantFrom("0.5", "1e3"),
            ),
            tie("value"),
          ),
          { maxLength: 6 },
        )
        .map((pairs) => `{${pairs.map(([k, v]) => `[${k}] = ${v}`).join(", ")}}`),
    },
  ),
})).value;

/**
 * Lua functions both sides can run: `hex(s)`, and `dump(v)`, a deterministic text of any value
 * (numbers through tostring, strings in hex, tables in `next` order), and `try(f, ...)`: the dump
 * of f's results, or "error: <message>".
 */
export const LUA_DUMP = `
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end
local function dump(v)
  local t = type(v)
  if t == 'string' then return 's:' .. hex(v) end
  if t == 'table' then
    local parts = {}
    for k, x in pairs(v) do parts[#parts + 1] = dump(k) .. '=' .. dump(x) end
    return '{' .. table.concat(parts, ',') .. '}'
  end
  if t == 'userdata' then return 'userdata' end
  return t:sub(1, 1) .. ':' .. tostring(v)
end
local function try(f, ...)
  local ok, n, values
  local function collect(success, ...) ok, n, values = success, select('#', ...), {...} end
  collect(pcall(f, ...))
  if not ok then return 'error: ' .. tostring(values[1]) end
  local parts = {}
  for i = 1, n do parts[i] = dump(values[i]) end
  return table.concat(parts, ' ')
end
`;
