/**
 * Lua source run once to seal Redis's globals. Redis 7.0.15 patches Lua with read-only tables
 * (`lua_enablereadonlytable`) and marks the globals and every table reachable from them; stock
 * Lua 5.1 has no such flag, so each protected table is replaced by an empty proxy whose
 * metatable reads through to the real table and refuses writes. The builtins that would see
 * through a proxy (`getmetatable`, `setmetatable`, `rawget`, `rawset`, `next`, `pairs`) are
 * wrapped here, in Lua, so ordinary calls stay inside the VM.
 *
 * Arguments: the real globals, the error functions for writes and for unknown globals.
 * Returns the proxy that becomes the globals table.
 */
export const SANDBOX_SOURCE = `
local real_globals, readonly_error, unknown_global_error = ...
local rawget, rawset, next, type, error = rawget, rawset, next, type, error
local getmetatable, setmetatable, pairs = getmetatable, setmetatable, pairs
local real_of = {}
local visible_metatable = {}

local function protect(real, visible)
  local proxy = {}
  setmetatable(proxy, { __index = real, __newindex = readonly_error })
  real_of[proxy] = real
  if visible ~= nil then visible_metatable[proxy] = visible end
  return proxy
end

local libraries = { "string", "table", "math", "coroutine", "redis", "cjson", "struct", "cmsgpack", "bit" }
for i = 1, #libraries do
  local name = libraries[i]
  local lib = rawget(real_globals, name)
  if type(lib) == "table" then rawset(real_globals, name, protect(lib)) end
end
-- ("x"):upper() reads through the string metatable: point it at the proxy too.
getmetatable("").__index = rawget(real_globals, "string")

setmetatable(real_globals, { __index = unknown_global_error })
local globals = protect(real_globals, protect({ __index = unknown_global_error, __newindex = readonly_error }))
rawset(real_globals, "_G", globals)

local function refuse() error("Attempt to modify a readonly table", 0) end



rawset(real_globals, "getmetatable", function(...)
  local o = ...
  if o ~= nil then
    if visible_metatable[o] ~= nil then return visible_metatable[o] end
    if real_of[o] ~= nil then return nil end
  end
  return getmetatable(...)
end)
rawset(real_globals, "setmetatable", function(t, ...)
  if t ~= nil and real_of[t] ~= nil then refuse() end
  return setmetatable(t, ...)
end)
rawset(real_globals, "rawset", function(t, ...)
  if t ~= nil and real_of[t] ~= nil then refuse() end
  return rawset(t, ...)
end)
rawset(real_globals, "rawget", function(t, ...)
  if t ~= nil and real_of[t] ~= nil then t = real_of[t] end
  return rawget(t, ...)
end)
local function proxied_next(t, ...)
  if t ~= nil and real_of[t] ~= nil then t = real_of[t] end
  return next(t, ...)
end
rawset(real_globals, "next", proxied_next)
rawset(real_globals, "pairs", function(t)
  if t ~= nil and real_of[t] ~= nil then return next, real_of[t], nil end
  if type(t) ~= "table" then return pairs(t) end
  return next, t, nil
end)
return globals
`;

/** The chunk name of the sandbox's own functions: error locations skip their frames. */
export const SANDBOX_CHUNK = "=redis_sandbox";
