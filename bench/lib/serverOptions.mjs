// The options every bench takes to say how the two servers start (see lib/servers.mjs), as
// node:util parseArgs entries, and the flags resolveServerSpecs reads from the parsed values.

/** parseArgs entries of --nedis-cmd, --nedis-node, --nedis-args, --redis-cmd, --redis-args. */
export const SERVER_OPTIONS = /** @type {const} */ ({
  'nedis-cmd': { type: 'string' },
  'nedis-node': { type: 'string' },
  'nedis-args': { type: 'string' },
  'redis-cmd': { type: 'string' },
  'redis-args': { type: 'string' },
});

/**
 * The server flags of parsed values.
 * @param {{ 'nedis-cmd'?: string, 'nedis-node'?: string, 'nedis-args'?: string, 'redis-cmd'?: string, 'redis-args'?: string }} values
 * @returns {{ nedisCmd?: string, nedisNode?: string, nedisArgs?: string, redisCmd?: string, redisArgs?: string }}
 */
export function serverFlagsOf(values) {
  return {
    nedisCmd: values['nedis-cmd'],
    nedisNode: values['nedis-node'],
    nedisArgs: values['nedis-args'],
    redisCmd: values['redis-cmd'],
    redisArgs: values['redis-args'],
  };
}

/**
 * `--servers nedis,redis`: the servers asked for, each once, in order.
 * @param {string} text
 * @returns {('nedis' | 'redis')[]}
 */
export function parseServerList(text) {
  const servers = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const s of servers) if (s !== 'nedis' && s !== 'redis') throw new Error(`--servers: unknown server '${s}'`);
  if (servers.length === 0) throw new Error('--servers needs at least one server');
  return /** @type {('nedis' | 'redis')[]} */ ([...new Set(servers)]);
}
