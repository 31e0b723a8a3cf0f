import { connect, type NetConnectOpts } from "node:net";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/** Sends `input` once connected; collects bytes until `want` bytes arrived or the peer closed. */
function exchange(options: NetConnectOpts, input: string, want: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(options);
    let text = "";
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => done(false), 3000);
    socket.on("connect", () => socket.write(input));
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (text.length >= want) done(false);
    });
    socket.on("close", () => done(true));
    socket.on("error", reject);
  });
}

const target = useTarget([["bind", ["127.0.0.1", "::1"]]]);

/** 127.0.0.2 is loopback, but only 127.0.0.1 and ::1 count as local for Redis 7.0. */
const fromOther = (input: string, want = 1 << 20) =>
  exchange({ host: "127.0.0.1", port: target.port, localAddress: "127.0.0.2" }, input, want);

describe("protected mode", () => {
  it("refuses a non-local peer while the default user has no password, and counts it as rejected", async () => {
    const r = target.client();
    const before = /rejected_connections:(\d+)/.exec((await r.info("stats")) as string)![1];
    const { text, closed } = await fromOther("PING\r\n");
    expect(text).toBe(DENIED);
    expect(closed).toBe(true);
    const after = /rejected_connections:(\d+)/.exec((await r.info("stats")) as string)![1];
    expect(Number(after)).toBe(Number(before) + 1);
  });

  it("accepts 127.0.0.1 and ::1", async () => {
    expect((await exchange({ host: "127.0.0.1", port: target.port }, "PING\r\n", 7)).text).toBe("+PONG\r\n");
    expect((await exchange({ host: "::1", port: target.port }, "PING\r\n", 7)).text).toBe("+PONG\r\n");
  });

  it("is lifted by CONFIG SET protected-mode no, or by a password for the default user", async () => {
    const r = target.client();
    expect(await r.call("CONFIG", "SET", "protected-mode", "no")).toBe("OK");
    expect((await fromOther("PING\r\n", 7)).text).toBe("+PONG\r\n");
    expect(await r.call("CONFIG", "SET", "protected-mode", "yes")).toBe("OK");
    expect(await r.call("ACL", "SETUSER", "default", ">pw")).toBe("OK");
    expect((await fromOther("PING\r\nAUTH pw\r\nPING\r\n", 45)).text).toBe(
      "-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n",
    );
    expect(await r.call("ACL", "SETUSER", "default", "nopass")).toBe("OK");
    expect((await fromOther("PING\r\n")).text).toBe(DENIED);
  });
});
