import { describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

describe("unknown commands and arity", () => {
  it("names the command and its first arguments", async () => {
    const r = target.client();
    await expect(r.call("NOSUCHCMD")).rejects.toThrow("ERR unknown command 'NOSUCHCMD', with args beginning with: ");
    await expect(r.call("nosuch", "a", "b c")).rejects.toThrow(
      "ERR unknown command 'nosuch', with args beginning with: 'a' 'b c' ",
    );
  });

  it("exact reply bytes of an unknown command, args truncated at 128 characters", async () => {
    const long = "x".repeat(200);
    const { text } = await rawExchange(target.port, `foo ${long} bar\r\n`, { until: (t) => t.endsWith("\r\n") });
    expect(text).toBe(`-ERR unknown command 'foo', with args beginning with: '${"x".repeat(128)}' \r\n`);
  });

  it("replaces newlines in echoed arguments so the error stays one line", async () => {
    const { text } = await rawExchange(target.port, "*2\r\n$3\r\nfoo\r\n$4\r\na\r\nb\r\n", {
      until: (t) => t.endsWith("\r\n"),
    });
    expect(text).toBe("-ERR unknown command 'foo', with args beginning with: 'a  b' \r\n");
  });

  it("wrong number of arguments uses the lowercase command name", async () => {
    const r = target.client();
    await expect(r.call("GET")).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    await expect(r.call("GET", "a", "b")).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    await expect(r.call("SeT", "a")).rejects.toThrow("ERR wrong number of arguments for 'set' command");
    await expect(r.call("DBSIZE", "x")).rejects.toThrow("ERR wrong number of arguments for 'dbsize' command");
  });

  it("unknown subcommand of a container command", async () => {
    const r = target.client();
    await expect(r.call("COMMAND", "nope")).rejects.toThrow("ERR unknown subcommand 'nope'. Try COMMAND HELP.");
    await expect(r.call("COMMAND", "COUNT", "x")).rejects.toThrow(
      "ERR wrong number of arguments for 'command|count' command",
    );
  });

  it("commands are case-insensitive", async () => {
    const r = target.client();
    expect(await r.call("pInG")).toBe("PONG");
    expect(await r.call("command", "count")).toBeGreaterThan(10);
  });
});
