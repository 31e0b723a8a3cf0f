import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { useTarget } from "../utils/target.js";
import { encodeCommand, errorOf } from "./scripting.js";

/** SCRIPT HELP, FUNCTION HELP, and the argument checks of SCRIPT DEBUG (the debugger itself is not covered). */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

const SCRIPT_HELP = [
  "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DEBUG (YES|SYNC|NO)",
  "    Set the debug mode for subsequent scripts executed.",
  "EXISTS <sha1> [<sha1> ...]",
  "    Return information about the existence of the scripts in the script cache.",
  "FLUSH [ASYNC|SYNC]",
  "    Flush the Lua scripts cache. Very dangerous on replicas.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the scripts cache.",
  "    * SYNC: Synchronously flush the scripts cache.",
  "KILL",
  "    Kill the currently executing Lua script.",
  "LOAD <script>",
  "    Load a script into the scripts cache without executing it.",
  "HELP",
  "    Prints this help.",
];

const FUNCTION_HELP = [
  "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "LOAD [REPLACE] <FUNCTION CODE>",
  "    Create a new library with the given library name and code.",
  "DELETE <LIBRARY NAME>",
  "    Delete the given library.",
  "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
  "    Return general information on all the libraries:",
  "    * Library name",
  "    * The engine used to run the Library",
  "    * Library description",
  "    * Functions list",
  "    * Library code (if WITHCODE is given)",
  "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
  "STATS",
  "    Return information about the current function running:",
  "    * Function name",
  "    * Command used to run the function",
  "    * Duration in MS that the function is running",
  "    If no function is running, return nil",
  "    In addition, returns a list of available engines.",
  "KILL",
  "    Kill the current running function.",
  "FLUSH [ASYNC|SYNC]",
  "    Delete all the libraries.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the libraries.",
  "    * SYNC: Synchronously flush the libraries.",
  "DUMP",
  "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
  "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
  "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
  "    control how to handle existing libraries (default APPEND):",
  "    * FLUSH: delete all existing libraries.",
  "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
  "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
  "      libraries with the new libraries (notice that even on this option there is a chance of failure",
  "      in case of functions name collision with another library).",
  "HELP",
  "    Prints this help.",
];

describe("HELP", () => {
  it("SCRIPT HELP lists the subcommands", async () => {
    expect(await r.call("SCRIPT", "HELP")).toEqual(SCRIPT_HELP);
  });

  it("FUNCTION HELP lists the subcommands", async () => {
    expect(await r.call("FUNCTION", "HELP")).toEqual(FUNCTION_HELP);
  });
});

describe("SCRIPT DEBUG", () => {
  it("takes YES, SYNC or NO", async () => {
    expect(await r.call("SCRIPT", "DEBUG", "NO")).toBe("OK");
    expect(await errorOf(r.call("SCRIPT", "DEBUG", "foo"))).toBe("ERR Use SCRIPT DEBUG YES/SYNC/NO");
    expect(await errorOf(r.call("SCRIPT", "DEBUG"))).toBe("ERR wrong number of arguments for 'script|debug' command");
  });

  it("refuses to run inside MULTI or with more commands pipelined behind it", async () => {
    const expected =
      "+OK\r\n+QUEUED\r\n*1\r\n-ERR SCRIPT DEBUG must be called outside a pipeline\r\n" +
      "-ERR SCRIPT DEBUG must be called outside a pipeline\r\n+PONG\r\n";
    const { text } = await rawExchange(
      target.port,
      [["MULTI"], ["SCRIPT", "DEBUG", "NO"], ["EXEC"], ["SCRIPT", "DEBUG", "NO"], ["PING"]].map(encodeCommand).join(""),
      { until: (t) => t.endsWith("+PONG\r\n"), timeoutMs: 3000 },
    );
    expect(text).toBe(expected);
  });
});
