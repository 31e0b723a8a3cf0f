// The entry point every bench script shares: run `main`, exit with its code, report a crash.

/** Progress and notes go to stderr, so stdout holds only the table (or JSON). */
/** @param {string} message */
export const log = (message) => process.stderr.write(`${message}\n`);

/**
 * @param {string} name script name for the crash message, e.g. `bench:compare`
 * @param {() => Promise<number>} main resolves to the process exit code
 */
export function runMain(name, main) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
