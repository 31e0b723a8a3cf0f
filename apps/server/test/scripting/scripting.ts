import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { rawExchange } from "../utils/raw.js";

/** Shared setup for the scripting tests: script digests, exact error text, raw RESP replies. */

export const sha1hex = (text: string): string => createHash("sha1").update(text).digest("hex");

/** The suffix Redis appends to an error raised while an EVAL script runs. */
export const evalErrorSuffix = (script: string, line = 1): string =>
  ` script: ${sha1hex(script)}, on @user_script:${line}.`;

/** The suffix Redis appends to an error raised while function `name` runs. */
export const fcallErrorSuffix = (name: string, line = 1): string => ` script: ${name}, on @user_function:${line}.`;

/** The error message a pending reply rejects with; fails when it resolves instead. */
export async function errorOf(reply: Promise<unknown>): Promise<string> {
  let value: unknown;
  try {
    value = await reply;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`expected an error reply, got ${JSON.stringify(value)}`);
}

/** A command encoded as a RESP array of bulk strings. */
export function encodeCommand(args: (string | number)[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const s = String(arg);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return out;
}

/**
 * The raw bytes of the replies to `commands`, sent in one write on a fresh connection, read until
 * `expected.length` bytes have arrived (or 3 s pass; the assertion then shows what came).
 */
export async function rawReplies(port: number, commands: (string | number)[][], expected: string): Promise<string> {
  return exchange(port, commands, (text) => text.length >= expected.length);
}

/** Where HELLO 3's reply ends: its last field is an empty `modules` array. */
const HELLO_END = "$7\r\nmodules\r\n*0\r\n";

/**
 * Like `rawReplies`, on a connection switched to RESP3 first; the HELLO reply is cut off (its
 * client id varies).
 */
export async function resp3Replies(port: number, commands: (string | number)[][], expected: string): Promise<string> {
  const afterHello = (text: string) => {
    const end = text.indexOf(HELLO_END);
    return end < 0 ? undefined : text.slice(end + HELLO_END.length);
  };
  const text = await exchange(
    port,
    [["HELLO", "3"], ...commands],
    (t) => (afterHello(t)?.length ?? -1) >= expected.length,
  );
  return afterHello(text) ?? text;
}

async function exchange(port: number, commands: (string | number)[][], done: (text: string) => boolean) {
  const { text } = await rawExchange(port, commands.map(encodeCommand).join(""), { until: done, timeoutMs: 3000 });
  return text;
}

/** A one-function library, as scripting.tcl's run_script builds it for FCALL. */
export function libraryCode(library: string, fn: string, body: string, flags?: string[]): string {
  if (flags === undefined) {
    return `#!lua name=${library}\nredis.register_function('${fn}', function(KEYS, ARGV)\n ${body} \nend)`;
  }
  const list = flags.map((f) => `'${f}'`).join(", ");
  return `#!lua name=${library}\nredis.register_function{function_name='${fn}', callback=function(KEYS, ARGV)\n ${body} \nend, flags={${list}}}`;
}

/** Loads `body` as function `test` (replacing library `test`) and calls it with `numkeys` and args. */
export async function fcallBody(r: Redis, body: string, ...keysAndArgs: (string | number)[]): Promise<unknown> {
  await r.call("FUNCTION", "LOAD", "REPLACE", libraryCode("test", "test", body));
  return r.call("FCALL", "test", ...keysAndArgs);
}

/**
 * How a script body runs: as an EVAL script, or as function `test` of library `test` (loaded with
 * REPLACE first), the two ways scripting.tcl runs each case. Lines are counted in the body.
 */
export interface ScriptMode {
  name: "EVAL" | "FCALL";
  run(r: Redis, body: string, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  /** EVAL_RO, or FCALL_RO of a function flagged no-writes. */
  runReadOnly(r: Redis, body: string, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  /** Where Lua places a body line in its messages: `user_script:1`, `user_function:3`. */
  place(line?: number): string;
  /** The suffix Redis appends to an error raised at a body line. */
  errorSuffix(body: string, line?: number): string;
}

/** Line of the body's first line inside `libraryCode`. */
const FUNCTION_BODY_LINE = 3;

export const evalMode: ScriptMode = {
  name: "EVAL",
  run: (r, body, ...rest) => r.call("EVAL", body, ...rest),
  runReadOnly: (r, body, ...rest) => r.call("EVAL_RO", body, ...rest),
  place: (line = 1) => `user_script:${line}`,
  errorSuffix: (body, line = 1) => evalErrorSuffix(body, line),
};

export const fcallMode: ScriptMode = {
  name: "FCALL",
  run: fcallBody,
  async runReadOnly(r, body, ...rest) {
    await r.call("FUNCTION", "LOAD", "REPLACE", libraryCode("test", "test", body, ["no-writes"]));
    return r.call("FCALL_RO", "test", ...rest);
  },
  place: (line = 1) => `user_function:${line + FUNCTION_BODY_LINE - 1}`,
  errorSuffix: (_body, line = 1) => fcallErrorSuffix("test", line + FUNCTION_BODY_LINE - 1),
};

export const scriptModes: ScriptMode[] = [evalMode, fcallMode];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `cond` every 20 ms until it holds, failing after `ms`. */
export async function waitUntil(cond: () => Promise<boolean>, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
