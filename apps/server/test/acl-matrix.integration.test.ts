import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/**
 * The ACL matrix: users × commands × keys. Each user's rules say which commands and which keys
 * (read or write) it may touch; every combination is tried and the reply must be the command's
 * own result or Redis's NOPERM error, on nedis and on Redis alike.
 */
const target = useTarget();
let admin: Redis;
const clients = new Map<string, Redis>();

interface User {
  name: string;
  rules: string[];
  /** May the user run `cmd` on `key` (read = the command reads it, write = it writes it)? */
  allows(cmd: string, key: string, access: "read" | "write"): boolean | "command";
}

const USERS: User[] = [
  {
    name: "reader",
    rules: ["+@read", "~*"],
    allows: (_cmd, _key, access) => (access === "read" ? true : "command"),
  },
  {
    name: "cacheonly",
    rules: ["+@all", "~cache:*"],
    allows: (_cmd, key) => key.startsWith("cache:"),
  },
  {
    name: "split",
    rules: ["+get", "+set", "+del", "%R~r:*", "%W~w:*"],
    allows: (cmd, key, access) => {
      if (!["get", "set", "del"].includes(cmd)) return "command";
      return access === "read" ? key.startsWith("r:") : key.startsWith("w:");
    },
  },
  {
    name: "nokeys",
    rules: ["+@all"],
    allows: () => false,
  },
];

const COMMANDS: { cmd: string; access: "read" | "write"; args: (key: string) => string[] }[] = [
  { cmd: "get", access: "read", args: (k) => ["GET", k] },
  { cmd: "strlen", access: "read", args: (k) => ["STRLEN", k] },
  { cmd: "set", access: "write", args: (k) => ["SET", k, "v"] },
  { cmd: "del", access: "write", args: (k) => ["DEL", k] },
  { cmd: "incr", access: "write", args: (k) => ["INCR", `${k}:n`] },
];
const KEYS = ["cache:1", "r:1", "w:1", "other"];

beforeAll(async () => {
  admin = target.client();
  for (const u of USERS) {
    await admin.call("ACL", "SETUSER", u.name, "reset", "on", ">pw", ...u.rules);
    clients.set(u.name, target.client({ username: u.name, password: "pw" }));
  }
});
afterAll(async () => {
  for (const u of USERS) await admin.call("ACL", "DELUSER", u.name).catch(() => {});
});

describe("ACL matrix", () => {
  for (const u of USERS) {
    it(`user ${u.name}: every command × key is allowed or refused as its rules say`, async () => {
      const c = clients.get(u.name)!;
      for (const { cmd, access, args } of COMMANDS) {
        for (const key of KEYS) {
          const verdict = u.allows(cmd, cmd === "incr" ? `${key}:n` : key, access);
          const reply = c.call(...(args(key) as [string, ...string[]]));
          if (verdict === true) {
            await expect(reply, `${u.name} ${cmd} ${key}`).resolves.not.toThrow();
          } else if (verdict === "command") {
            await expect(reply, `${u.name} ${cmd} ${key}`).rejects.toThrow(
              `NOPERM this user has no permissions to run the '${cmd}' command`,
            );
          } else {
            await expect(reply, `${u.name} ${cmd} ${key}`).rejects.toThrow(
              "NOPERM this user has no permissions to access one of the keys used as arguments",
            );
          }
        }
      }
    });
  }
});
