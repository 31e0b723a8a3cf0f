import { describe, expect, it } from "vitest";
import { encodeCommand, ReplyWriter, RequestParser, writeCommand } from "../src/index.js";

describe("command encoder", () => {
  it("encodes strings (UTF-8), bytes and numbers as a RESP array of bulk strings", () => {
    expect(encodeCommand(["SET", "clé", Buffer.from([0, 255]), 42, 1.5, 10n]).toString("latin1")).toBe(
      "*6\r\n$3\r\nSET\r\n$4\r\ncl\xc3\xa9\r\n$2\r\n\x00\xff\r\n$2\r\n42\r\n$3\r\n1.5\r\n$2\r\n10\r\n",
    );
  });

  it("pipelines commands into one buffer that a server parses back", () => {
    const out = new ReplyWriter();
    writeCommand(out, ["MSET", "a", "1", "b", "2"]);
    writeCommand(out, ["GET", new Uint8Array([0x61])]);
    const parser = new RequestParser();
    parser.feed(out.take());
    const commands: string[][] = [];
    while (parser.next()) commands.push(Array.from({ length: parser.argc }, (_, i) => parser.argString(i)));
    expect(commands).toEqual([
      ["MSET", "a", "1", "b", "2"],
      ["GET", "a"],
    ]);
  });
});
