// Every child process the bench starts is registered here, so that an error, Ctrl-C or SIGTERM
// never leaves a server running (and listening) after the script has gone.

/** @type {Set<import('node:child_process').ChildProcess>} */
const live = new Set();
/** @type {Set<() => void>} */
const cleanups = new Set();
let handlersInstalled = false;

/**
 * Registers a synchronous cleanup (e.g. removing a scratch directory) that runs when the process
 * exits or is interrupted; call the returned function to run it early and unregister it.
 * @param {() => void} cleanup
 */
export function registerCleanup(cleanup) {
  installHandlers();
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup)) cleanup();
  };
}

/**
 * Tracks a child until it exits.
 * @param {import('node:child_process').ChildProcess} child
 */
export function registerChild(child) {
  installHandlers();
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILLs every child still alive, then runs registered cleanups (synchronous, safe in an 'exit' handler). */
export function killAllChildren() {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort while exiting
    }
  }
  cleanups.clear();
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAllChildren);
  for (const [signal, code] of /** @type {const} */ ([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping servers\n`);
      killAllChildren();
      process.exit(code);
    });
  }
}
