// Starts nedis and redis-server on free loopback ports (optionally pinned to one CPU), waits until
// they answer PING, and stops them. Both servers take the same redis-server style arguments.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerChild, registerCleanup } from './processRegistry.mjs';
import { readCommName } from './procstat.mjs';
import { RespClient } from './respClient.mjs';
import { sleep } from './stats.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NEDIS_MAIN = path.join(REPO_ROOT, 'apps', 'server', 'dist', 'main.js');

/**
 * Splits a command line on whitespace, honouring simple '…' and "…" quoting.
 * @param {string} line
 */
export function splitCommandLine(line) {
  /** @type {string[]} */
  const words = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/**
 * Resolves the nedis and redis commands from flags and environment.
 * @param {{ nedisCmd?: string, nedisNode?: string, redisCmd?: string, nedisArgs?: string, redisArgs?: string }} flags
 * @returns {{ nedis: ServerSpec, redis: ServerSpec }}
 */
export function resolveServerSpecs(flags) {
  const nedisCmdLine = flags.nedisCmd ?? process.env.NEDIS_SERVER_CMD;
  /** @type {string[]} */
  let nedisCommand;
  if (nedisCmdLine) {
    nedisCommand = splitCommandLine(nedisCmdLine);
  } else {
    const node = flags.nedisNode ?? process.env.NEDIS_NODE ?? process.execPath;
    if (!existsSync(NEDIS_MAIN)) {
      throw new Error(`${NEDIS_MAIN} not found: build it first (pnpm --filter nedis-server build)`);
    }
    nedisCommand = [node, NEDIS_MAIN];
  }
  const redisCommand = splitCommandLine(flags.redisCmd ?? process.env.REDIS_SERVER_BIN ?? 'redis-server');
  return {
    nedis: { name: 'nedis', command: nedisCommand, extraArgs: splitCommandLine(flags.nedisArgs ?? '') },
    redis: { name: 'redis', command: redisCommand, extraArgs: splitCommandLine(flags.redisArgs ?? '') },
  };
}

/**
 * {@link resolveServerSpecs}, tolerating a nedis that cannot be started (not built) when Redis
 * alone can still be measured: the reason comes back instead of an error (benches print it).
 * @param {{ nedisCmd?: string, nedisNode?: string, redisCmd?: string, nedisArgs?: string, redisArgs?: string }} flags
 * @param {readonly string[]} servers the servers asked for
 * @returns {{ specs: { nedis: ServerSpec, redis: ServerSpec }, nedisProblem: string | null }}
 */
export function resolveServerSpecsOrReason(flags, servers) {
  try {
    return { specs: resolveServerSpecs(flags), nedisProblem: null };
  } catch (err) {
    if (servers.length === 1 && servers[0] === 'nedis') throw err;
    const placeholder = { ...flags, nedisCmd: 'nedis-unavailable' };
    return { specs: resolveServerSpecs(placeholder), nedisProblem: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * @typedef {{ name: string, command: string[], extraArgs: string[] }} ServerSpec
 * @typedef {{ name: string, pid: number, port: number, commandLine: string,
 *   exited: () => boolean, output: () => string, stop: () => Promise<void> }} RunningServer
 */

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether CPU pinning with taskset is possible here (needs ≥ 2 CPUs and the tool). */
export function canPin() {
  if (os.availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The CPUs a run pins to, from its `--no-pin`, `--server-cpu` and (when it has one)
 * `--client-cpu` options: nulls when pinning is off or impossible here (said on stderr).
 * @param {{ pin: boolean, serverCpu: number, clientCpu?: number }} options
 * @returns {{ pin: boolean, serverCpu: number | null, clientCpu: number | null }}
 */
export function resolvePinning(options) {
  const pin = options.pin && canPin();
  const nproc = os.availableParallelism();
  const hasClient = options.clientCpu !== undefined;
  if (pin && (options.serverCpu >= nproc || (hasClient && /** @type {number} */ (options.clientCpu) >= nproc))) {
    throw new Error(`${hasClient ? '--server-cpu/--client-cpu' : '--server-cpu'} must be below ${nproc}`);
  }
  if (!pin) process.stderr.write('note: running without CPU pinning (--no-pin, taskset missing or < 2 CPUs)\n');
  return {
    pin,
    serverCpu: pin ? options.serverCpu : null,
    clientCpu: pin && hasClient ? /** @type {number} */ (options.clientCpu) : null,
  };
}

/**
 * Prefixes argv with `taskset -c <cpu>` when cpu is a number. taskset execs the command, so the
 * child's pid is the server's own pid (what /proc accounting needs).
 * @param {string[]} argv
 * @param {number | null} cpu
 */
export function pinned(argv, cpu) {
  return cpu === null ? argv : ['taskset', '-c', String(cpu), ...argv];
}

/**
 * Starts a server and resolves once it answers PING.
 * @param {ServerSpec} spec
 * @param {{ cpu: number | null, readyTimeoutMs?: number, onOutput?: (text: string) => void }} options
 *   onOutput sees all of the server's stdout and stderr (e.g. node's --trace-gc lines)
 * @returns {Promise<RunningServer>}
 */
export async function startServer(spec, { cpu, readyTimeoutMs = 20_000, onOutput }) {
  const port = await freePort();
  const workDir = mkdtempSync(path.join(os.tmpdir(), `nedis-bench-${spec.name}-`));
  const argv = pinned(
    [
      ...spec.command,
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...spec.extraArgs,
    ],
    cpu,
  );
  const [file, ...args] = argv;
  // cwd is a scratch directory so no stray dump.rdb/appendonlydir lands in the repo.
  const child = registerChild(
    spawn(/** @type {string} */ (file), args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    const text = chunk.toString('utf8');
    onOutput?.(text);
    output = (output + text).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  /** @type {Error | null} */
  let spawnError = null;
  child.once('error', (err) => {
    spawnError = err;
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null || spawnError !== null;
  const cleanupDir = registerCleanup(() => rmSync(workDir, { recursive: true, force: true }));

  const server = {
    name: spec.name,
    pid: /** @type {number} */ (child.pid),
    port,
    commandLine: argv.map((a) => (a === '' || /\s/.test(a) ? JSON.stringify(a) : a)).join(' '),
    exited,
    output: () => output,
    stop: async () => {
      if (!exited()) {
        child.kill('SIGTERM');
        const deadline = Date.now() + 5_000;
        while (!exited() && Date.now() < deadline) await sleep(20);
        if (!exited()) child.kill('SIGKILL');
        const killDeadline = Date.now() + 2_000;
        while (!exited() && Date.now() < killDeadline) await sleep(20);
      }
      cleanupDir();
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited()) {
      cleanupDir();
      throw new Error(
        `${spec.name} exited before answering PING (${server.commandLine})` +
          (spawnError ? `: ${/** @type {Error} */ (spawnError).message}` : '') +
          `\n--- its output ---\n${output}`,
      );
    }
    if (await answersPing(port)) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${spec.name} did not answer PING within ${readyTimeoutMs} ms\n--- its output ---\n${output}`);
    }
    await sleep(50);
  }
  if (readCommName(server.pid) === 'taskset') {
    await server.stop();
    throw new Error('taskset did not exec the server; CPU accounting would be wrong');
  }
  return server;
}

/** @param {number} port */
async function answersPing(port) {
  /** @type {RespClient | null} */
  let client = null;
  try {
    client = await RespClient.connect(port, { timeoutMs: 1_000 });
    const reply = await client.call('PING');
    return reply === 'PONG';
  } catch {
    return false;
  } finally {
    client?.close();
  }
}

/**
 * Opens a short-lived connection, runs one command, closes.
 * @param {number} port
 * @param {...(string | number)} args
 */
export async function callOnce(port, ...args) {
  const client = await RespClient.connect(port, { timeoutMs: 30_000 });
  try {
    return await client.call(...args);
  } finally {
    client.close();
  }
}
