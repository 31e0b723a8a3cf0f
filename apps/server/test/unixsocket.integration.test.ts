import { mkdtempSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

let dir: string;
let path: string;
const target = useTarget(() => {
  dir = mkdtempSync(join(tmpdir(), "nedis-unix-"));
  path = join(dir, "nedis.sock");
  return [
    ["unixsocket", [path]],
    ["unixsocketperm", ["700"]],
  ];
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function overUnixSocket(input: string, want: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, 3000);
    socket.on("connect", () => socket.write(input));
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (want(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      }
    });
    socket.on("error", reject);
  });
}

describe("unixsocket", () => {
  it("serves clients on the socket file, created with unixsocketperm", async () => {
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expect(await overUnixSocket("PING\r\n", (t) => t.endsWith("\r\n"))).toBe("+PONG\r\n");
  });

  it("is local for protected mode even though it has no IP address", async () => {
    const r = target.client();
    expect(await r.call("CONFIG", "GET", "protected-mode")).toEqual(["protected-mode", "yes"]);
    expect(await overUnixSocket("SET k v\r\nGET k\r\n", (t) => t.split("\r\n").length > 3)).toBe("+OK\r\n$1\r\nv\r\n");
  });

  // nedis: CLIENT LIST needs the Client's address formatting for unix peers (see the report).
  it("CLIENT INFO shows the socket path as address and flag U", async () => {
    const text = await overUnixSocket("CLIENT INFO\r\n", (t) => t.endsWith("\n\r\n"));
    expect(text).toContain(` addr=${path}:0 laddr=${path}:0 `);
    expect(text).toContain(" flags=U ");
  });
});
