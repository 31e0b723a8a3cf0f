import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { lines, rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** A connection that does not reconnect (so a kill is observable). */
async function connectAs(user?: string, password?: string): Promise<Redis> {
  const c = target.client({ lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
  await c.connect();
  if (user !== undefined) await c.call("AUTH", user, password ?? "");
  return c;
}

/** GETUSER as a plain object (RESP2 flat map). */
async function getUser(r: Redis, name: string): Promise<Record<string, unknown>> {
  const flat = (await r.call("ACL", "GETUSER", name)) as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/**
 * A command rule description: the categories come first in a fixed order, single commands
 * follow in Redis's hash-table order (random per process), so they are compared as a set.
 */
function splitRules(rules: string): { head: string[]; commands: string[] } {
  const words = rules.split(" ");
  const firstCommand = words.findIndex((w) => !w.startsWith("+@") && !w.startsWith("-@"));
  if (firstCommand < 0) return { head: words, commands: [] };
  return { head: words.slice(0, firstCommand), commands: words.slice(firstCommand).sort() };
}

describe("ACL users", () => {
  it("the default user can do anything and needs no password", async () => {
    const r = target.client();
    expect(await r.call("ACL", "LIST")).toEqual(["user default on nopass ~* &* +@all"]);
    expect(await r.call("ACL", "USERS")).toEqual(["default"]);
    expect(await r.call("ACL", "WHOAMI")).toBe("default");
    expect(await getUser(r, "default")).toEqual({
      flags: ["on", "nopass"],
      passwords: [],
      commands: "+@all",
      keys: "~*",
      channels: "&*",
      selectors: [],
    });
  });

  it("SETUSER creates a user; GETUSER and LIST describe it as Redis does", async () => {
    const r = target.client();
    expect(await r.call("ACL", "SETUSER", "alice", "on", ">p1", "~foo*", "&news", "+get", "+client|id")).toBe("OK");
    expect(await getUser(r, "alice")).toEqual({
      flags: ["on"],
      passwords: [sha("p1")],
      commands: expect.any(String),
      keys: "~foo*",
      channels: "&news",
      selectors: [],
    });
    const rules = splitRules((await getUser(r, "alice")).commands as string);
    expect(rules).toEqual({ head: ["-@all"], commands: ["+client|id", "+get"] });
    const list = (await r.call("ACL", "LIST")) as string[];
    const line = list.find((l) => l.startsWith("user alice "))!;
    expect(line.startsWith(`user alice on #${sha("p1")} ~foo* resetchannels &news -@all `)).toBe(true);
    expect(await r.call("ACL", "GETUSER", "nobody")).toBeNull();
    expect(await r.call("ACL", "DELUSER", "alice")).toBe(1);
  });

  it("describes command rules with the best-fitting categories first", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "cats1", "+@all", "-@dangerous");
    expect((await getUser(r, "cats1")).commands).toBe("+@all -@dangerous");
    await r.call("ACL", "SETUSER", "cats2", "+@hash", "+get", "-hdel");
    expect(splitRules((await getUser(r, "cats2")).commands as string)).toEqual({
      head: ["-@all", "+@hash"],
      commands: ["+get", "-hdel"],
    });
    await r.call("ACL", "SETUSER", "cats3", "+@all", "-@write", "+set", "-client|kill");
    expect(splitRules((await getUser(r, "cats3")).commands as string)).toEqual({
      head: ["+@all", "-@write"],
      commands: ["+set", "-client|kill"],
    });
    const cases: [string[], string][] = [
      [
        ["-@all", "+@read", "+@write", "-@dangerous"],
        "-@all +@string +@hash +@geo +@blocking +@bitmap +@set +@hyperloglog +@stream +@sortedset +@list +@keyspace -xgroup|help -pfselftest -restore -flushall -keys -migrate +lolwut -flushdb -object|help -xinfo|help +memory|usage -swapdb -pfdebug -restore-asking -sort +function|flush +function|delete +function|load +function|restore -sort_ro",
      ],
      [["+@all", "-@admin", "+flushall", "-@slow"], "+@all -@slow -role -lastsave"],
      [
        ["-@all", "+@fast", "+@keyspace", "-del", "+@connection"],
        "-@all +@fast +@connection +restore +flushall +keys +rename +migrate +copy +flushdb +object|idletime +object|help +object|freq +object|encoding +object|refcount +dump +restore-asking +randomkey +scan",
      ],
    ];
    for (const [rules, described] of cases) {
      await r.call("ACL", "SETUSER", "cats4", "reset", ...rules);
      expect(splitRules((await getUser(r, "cats4")).commands as string), rules.join(" ")).toEqual(
        splitRules(described),
      );
    }
    await r.call("ACL", "SETUSER", "cats6", "+select|0", "+select|1");
    expect((await getUser(r, "cats6")).commands).toBe("-@all +select|0 +select|1");
    await r.call("ACL", "SETUSER", "cats6", "+select");
    expect((await getUser(r, "cats6")).commands).toBe("-@all +select");
    await r.call("ACL", "DELUSER", "cats1", "cats2", "cats3", "cats4", "cats6");
  });

  it("key and channel patterns: %R~ and %W~ merge into ~, reset and all forms", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "keys1", "%R~a", "%W~b", "%RW~c", "~d", "%W~a", "&x", "&y", "&x");
    const u = await getUser(r, "keys1");
    expect(u.keys).toBe("~a %W~b ~c ~d");
    expect(u.channels).toBe("&x &y");
    await r.call("ACL", "SETUSER", "keys1", "resetkeys", "%R~r*", "resetchannels");
    expect(await getUser(r, "keys1")).toMatchObject({ keys: "%R~r*", channels: "" });
    await r.call("ACL", "SETUSER", "keys1", "allkeys", "allchannels");
    expect(await getUser(r, "keys1")).toMatchObject({ keys: "~*", channels: "&*" });
    expect(((await r.call("ACL", "LIST")) as string[]).find((l) => l.startsWith("user keys1"))).toBe(
      "user keys1 off ~* &* -@all",
    );
    await r.call("ACL", "DELUSER", "keys1");
  });

  it("flags and passwords: nopass, resetpass, #hash, <pass, !hash, reset", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "pw", ">a", ">b", `#${sha("c")}`, ">a");
    expect((await getUser(r, "pw")).passwords).toEqual([sha("a"), sha("b"), sha("c")]);
    await r.call("ACL", "SETUSER", "pw", "<a", `!${sha("b")}`);
    expect((await getUser(r, "pw")).passwords).toEqual([sha("c")]);
    await r.call("ACL", "SETUSER", "pw", "nopass");
    expect(await getUser(r, "pw")).toMatchObject({ flags: ["off", "nopass"], passwords: [] });
    await r.call("ACL", "SETUSER", "pw", ">x");
    expect(await getUser(r, "pw")).toMatchObject({ flags: ["off"], passwords: [sha("x")] });
    await r.call("ACL", "SETUSER", "pw", "on", "skip-sanitize-payload", "resetpass");
    expect(await getUser(r, "pw")).toMatchObject({ flags: ["on", "skip-sanitize-payload"], passwords: [] });
    await r.call("ACL", "SETUSER", "pw", "reset");
    expect(await getUser(r, "pw")).toEqual({
      flags: ["off", "sanitize-payload"],
      passwords: [],
      commands: "-@all",
      keys: "",
      channels: "",
      selectors: [],
    });
    await r.call("ACL", "DELUSER", "pw");
  });

  it("rejects bad rules with Redis's error texts and changes nothing", async () => {
    const r = target.client();
    const cases: [string[], string][] = [
      [["foo"], "ERR Error in ACL SETUSER modifier 'foo': Syntax error"],
      [["+nocmd"], "ERR Error in ACL SETUSER modifier '+nocmd': Unknown command or category name in ACL"],
      [["+@nocat"], "ERR Error in ACL SETUSER modifier '+@nocat': Unknown command or category name in ACL"],
      [["-get|x"], "ERR Error in ACL SETUSER modifier '-get|x': Unknown command or category name in ACL"],
      [["+get|a|b"], "ERR Error in ACL SETUSER modifier '+get|a|b': Unknown command or category name in ACL"],
      [
        ["+client|id|x"],
        "ERR Error in ACL SETUSER modifier '+client|id|x': Allowing first-arg of a subcommand is not supported",
      ],
      [["+get|"], "ERR Error in ACL SETUSER modifier '+get|': Syntax error"],
      [["%X~a"], "ERR Error in ACL SETUSER modifier '%X~a': Syntax error"],
      [["%~a"], "ERR Error in ACL SETUSER modifier '%~a': Syntax error"],
      [["%RR~a"], "ERR Error in ACL SETUSER modifier '%RR~a': Syntax error"],
      [
        ["~*", "~a"],
        "ERR Error in ACL SETUSER modifier '~a': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
      ],
      [
        ["&*", "&a"],
        "ERR Error in ACL SETUSER modifier '&a': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
      ],
      [
        ["<nopw"],
        "ERR Error in ACL SETUSER modifier '<nopw': The password you are trying to remove from the user does not exist",
      ],
      [
        ["#abc"],
        "ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
      ],
      [["(+get", "~x"], "ERR Unmatched parenthesis in acl selector starting at '(+get'."],
      [["(+get ~x)", "(foo)"], "ERR Error in ACL SETUSER modifier '(foo)': Syntax error"],
    ];
    for (const [rules, error] of cases) {
      await expect(r.call("ACL", "SETUSER", "bad", "on", ...rules), rules.join(" ")).rejects.toThrow(error);
    }
    expect(await r.call("ACL", "GETUSER", "bad")).toBeNull();
    await expect(r.call("ACL", "SETUSER", "a b")).rejects.toThrow(
      "ERR Usernames can't contain spaces or null characters",
    );
    await expect(r.call("ACL", "SETUSER")).rejects.toThrow("ERR wrong number of arguments for 'acl|setuser' command");
  });

  it("selectors add alternative permissions; clearselectors removes them", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "sel", "on", "nopass", "+set", "~w*", "(+get ~r*)", "(", "%R~x*", "+@hash", ")");
    const u = await getUser(r, "sel");
    expect(u.selectors).toEqual([
      ["commands", "-@all +get", "keys", "~r*", "channels", ""],
      ["commands", "-@all +@hash", "keys", "%R~x*", "channels", ""],
    ]);
    expect(((await r.call("ACL", "LIST")) as string[]).find((l) => l.startsWith("user sel "))).toBe(
      "user sel on nopass ~w* resetchannels -@all +set (~r* resetchannels -@all +get) (%R~x* resetchannels -@all +@hash)",
    );
    expect(await r.call("ACL", "DRYRUN", "sel", "get", "r1")).toBe("OK");
    expect(await r.call("ACL", "DRYRUN", "sel", "set", "w1", "v")).toBe("OK");
    expect(await r.call("ACL", "DRYRUN", "sel", "get", "w1")).toBe(
      "This user has no permissions to access the 'w1' key",
    );
    expect(await r.call("ACL", "DRYRUN", "sel", "hget", "x1", "f")).toBe("OK");
    expect(await r.call("ACL", "DRYRUN", "sel", "hset", "x1", "f", "v")).toBe(
      "This user has no permissions to access the 'x1' key",
    );
    await r.call("ACL", "SETUSER", "sel", "clearselectors");
    expect((await getUser(r, "sel")).selectors).toEqual([]);
    await r.call("ACL", "DELUSER", "sel");
  });
});

describe("AUTH and permission checks", () => {
  beforeAll(async () => {
    const r = target.client();
    await r.call(
      "ACL",
      "SETUSER",
      "bob",
      "on",
      ">secret",
      "~k*",
      "&ch*",
      "+get",
      "+publish",
      "+multi",
      "+exec",
      "+select|0",
      "+acl|whoami",
    );
  });

  it("AUTH with a username switches the connection's user; WRONGPASS otherwise", async () => {
    const c = await connectAs();
    await expect(c.call("AUTH", "bob", "nope")).rejects.toThrow(
      "WRONGPASS invalid username-password pair or user is disabled.",
    );
    await expect(c.call("AUTH", "nobody", "x")).rejects.toThrow(
      "WRONGPASS invalid username-password pair or user is disabled.",
    );
    expect(await c.call("AUTH", "bob", "secret")).toBe("OK");
    expect(await c.call("ACL", "WHOAMI")).toBe("bob");
    const r = target.client();
    const list = (await r.call("CLIENT", "LIST")) as string;
    expect(list).toMatch(/ cmd=acl\|whoami user=bob /);
    c.disconnect();
  });

  it("a disabled user cannot authenticate", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "off1", "off", ">pw", "+@all");
    const c = await connectAs();
    await expect(c.call("AUTH", "off1", "pw")).rejects.toThrow("WRONGPASS");
    await r.call("ACL", "DELUSER", "off1");
    c.disconnect();
  });

  it("NOPERM for commands, keys and channels, with Redis's texts", async () => {
    const c = await connectAs("bob", "secret");
    await expect(c.call("SET", "k1", "v")).rejects.toThrow(
      "NOPERM this user has no permissions to run the 'set' command",
    );
    await expect(c.call("GET", "x")).rejects.toThrow(
      "NOPERM this user has no permissions to access one of the keys used as arguments",
    );
    await expect(c.call("PUBLISH", "other", "m")).rejects.toThrow(
      "NOPERM this user has no permissions to access one of the channels used as arguments",
    );
    expect(await c.call("PUBLISH", "chat", "m")).toBe(0);
    await expect(c.call("ACL", "LIST")).rejects.toThrow(
      "NOPERM this user has no permissions to run the 'acl|list' command",
    );
    expect(await c.call("SELECT", "0")).toBe("OK");
    await expect(c.call("SELECT", "1")).rejects.toThrow(
      "NOPERM this user has no permissions to run the 'select' command",
    );
    // Commands that need no authentication are never denied by command rules.
    expect(await c.call("PING").catch((e: Error) => e.message)).toBe(
      "NOPERM this user has no permissions to run the 'ping' command",
    );
    expect(await rawExchange(target.port, "AUTH bob secret\r\nQUIT\r\n", { until: lines(2) })).toMatchObject({
      text: "+OK\r\n+OK\r\n",
    });
    c.disconnect();
  });

  it("ACL LOG records denials with Redis 7.0's fields, groups repeats, and resets", async () => {
    const r = target.client();
    expect(await r.call("ACL", "LOG", "RESET")).toBe("OK");
    const c = await connectAs("bob", "secret");
    await c.call("SET", "k1", "v").catch(() => {});
    await c.call("SET", "k1", "v").catch(() => {});
    await c.call("GET", "zz").catch(() => {});
    await c.call("PUBLISH", "nope", "m").catch(() => {});
    await c.call("AUTH", "bob", "wrong").catch(() => {});
    const log = (await r.call("ACL", "LOG")) as unknown[][];
    const entries = log.map((flat) => {
      const e: Record<string, unknown> = {};
      for (let i = 0; i < flat.length; i += 2) e[String(flat[i])] = flat[i + 1];
      return e;
    });
    expect(entries.map((e) => Object.keys(e))).toEqual(
      Array(4).fill(["count", "reason", "context", "object", "username", "age-seconds", "client-info"]),
    );
    expect(
      entries.map(({ count, reason, context, object, username }) => ({ count, reason, context, object, username })),
    ).toEqual([
      { count: 1, reason: "auth", context: "toplevel", object: "AUTH", username: "bob" },
      { count: 1, reason: "channel", context: "toplevel", object: "nope", username: "bob" },
      { count: 1, reason: "key", context: "toplevel", object: "zz", username: "bob" },
      { count: 2, reason: "command", context: "toplevel", object: "set", username: "bob" },
    ]);
    expect(Number(entries[0]!["age-seconds"])).toBeLessThan(5);
    expect(entries[3]!["client-info"]).toMatch(/^id=\d+ addr=127\.0\.0\.1:\d+ .* cmd=set user=bob redir=-1 resp=2$/);
    expect(await r.call("ACL", "LOG", "1")).toHaveLength(1);
    expect(await r.call("ACL", "LOG", "-1")).toEqual([]);
    await expect(r.call("ACL", "LOG", "abc")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(r.call("ACL", "LOG", "1", "2")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'LOG'. Try ACL HELP.",
    );
    expect(await r.call("ACL", "LOG", "RESET")).toBe("OK");
    expect(await r.call("ACL", "LOG")).toEqual([]);
    c.disconnect();
  });

  it("commands denied while queueing in MULTI are logged with context multi and abort EXEC", async () => {
    const r = target.client();
    await r.call("ACL", "LOG", "RESET");
    const { text } = await rawExchange(target.port, "AUTH bob secret\r\nMULTI\r\nGET k1\r\nGET zz\r\nEXEC\r\n", {
      until: lines(5),
    });
    expect(text).toBe(
      "+OK\r\n+OK\r\n+QUEUED\r\n-NOPERM this user has no permissions to access one of the keys used as arguments\r\n" +
        "-EXECABORT Transaction discarded because of previous errors.\r\n",
    );
    const log = (await r.call("ACL", "LOG")) as unknown[][];
    expect(log[0]!.slice(0, 8)).toEqual(["count", 1, "reason", "key", "context", "multi", "object", "zz"]);
  });

  it("DRYRUN answers without running the command", async () => {
    const r = target.client();
    expect(await r.call("ACL", "DRYRUN", "bob", "get", "k1")).toBe("OK");
    expect(await r.call("ACL", "DRYRUN", "bob", "set", "k1", "v")).toBe(
      "This user has no permissions to run the 'set' command",
    );
    expect(await r.call("ACL", "DRYRUN", "bob", "get", "zz")).toBe(
      "This user has no permissions to access the 'zz' key",
    );
    expect(await r.call("ACL", "DRYRUN", "bob", "publish", "zz", "m")).toBe(
      "This user has no permissions to access the 'zz' channel",
    );
    expect(await r.call("ACL", "DRYRUN", "bob", "config", "get", "x")).toBe(
      "This user has no permissions to run the 'config|get' command",
    );
    expect(await r.call("ACL", "DRYRUN", "default", "hset", "h", "f", "v")).toBe("OK");
    await expect(r.call("ACL", "DRYRUN", "nobody", "get", "k")).rejects.toThrow("ERR User 'nobody' not found");
    await expect(r.call("ACL", "DRYRUN", "bob", "nocmd", "k")).rejects.toThrow("ERR Command 'nocmd' not found");
    await expect(r.call("ACL", "DRYRUN", "bob", "config", "nosuch")).rejects.toThrow("ERR Command 'config' not found");
    await expect(r.call("ACL", "DRYRUN", "bob", "get")).rejects.toThrow(
      "ERR wrong number of arguments for 'get' command",
    );
    await expect(r.call("ACL", "DRYRUN", "bob", "config", "get")).rejects.toThrow(
      "ERR wrong number of arguments for 'config|get' command",
    );
  });

  it("HELLO AUTH authenticates too, and logs its failures under its own name", async () => {
    const r = target.client();
    await r.call("ACL", "LOG", "RESET");
    const { text } = await rawExchange(
      target.port,
      "HELLO 2 AUTH bob bad\r\nHELLO 2 AUTH bob secret\r\nACL WHOAMI\r\n",
      {
        until: (t) => t.endsWith("$3\r\nbob\r\n"),
      },
    );
    expect(text.startsWith("-WRONGPASS invalid username-password pair or user is disabled.\r\n*14\r\n")).toBe(true);
    const log = (await r.call("ACL", "LOG")) as unknown[][];
    expect(log[0]!.slice(0, 10)).toEqual([
      "count",
      1,
      "reason",
      "auth",
      "context",
      "toplevel",
      "object",
      "HELLO",
      "username",
      "bob",
    ]);
  });

  it("DELUSER disconnects the user's clients; the default user cannot be deleted", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "temp", "on", ">t", "+@all", "~*");
    const c = await connectAs("temp", "t");
    const closed = new Promise((resolve) => c.once("close", resolve));
    await expect(r.call("ACL", "DELUSER", "default", "temp")).rejects.toThrow(
      "ERR The 'default' user cannot be removed",
    );
    expect(await r.call("ACL", "DELUSER", "temp", "nobody")).toBe(1);
    await closed;
    expect(await r.call("ACL", "DELUSER", "temp")).toBe(0);
  });
});

describe("RESP3", () => {
  it("GETUSER replies a map with a set of flags", async () => {
    const { text } = await rawExchange(target.port, ["HELLO 3\r\n", "ACL GETUSER default\r\n"], {
      until: (t) => t.includes("$9\r\nselectors\r\n*0\r\n"),
    });
    expect(text.slice(text.indexOf("%6\r\n"))).toBe(
      "%6\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$6\r\nnopass\r\n$9\r\npasswords\r\n*0\r\n" +
        "$8\r\ncommands\r\n$5\r\n+@all\r\n$4\r\nkeys\r\n$2\r\n~*\r\n$8\r\nchannels\r\n$2\r\n&*\r\n$9\r\nselectors\r\n*0\r\n",
    );
  });
});

describe("ACL subcommands", () => {
  it("CAT lists the categories, or the commands of one", async () => {
    const r = target.client();
    expect(await r.call("ACL", "CAT")).toEqual([
      "keyspace",
      "read",
      "write",
      "set",
      "sortedset",
      "list",
      "hash",
      "string",
      "bitmap",
      "hyperloglog",
      "geo",
      "stream",
      "pubsub",
      "admin",
      "fast",
      "slow",
      "blocking",
      "dangerous",
      "connection",
      "transaction",
      "scripting",
    ]);
    const hash = ((await r.call("ACL", "CAT", "hash")) as string[]).sort();
    expect(hash).toContain("hset");
    expect(hash).toContain("hgetall");
    expect(hash).not.toContain("get");
    const dangerous = (await r.call("ACL", "CAT", "DANGEROUS")) as string[];
    expect(dangerous).toContain("acl|setuser");
    expect(dangerous).toContain("flushall");
    await expect(r.call("ACL", "CAT", "nope")).rejects.toThrow("ERR Unknown category 'nope'");
    await expect(r.call("ACL", "CAT", "a", "b")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'CAT'. Try ACL HELP.",
    );
  });

  it("GENPASS returns random hex of the requested number of bits", async () => {
    const r = target.client();
    const a = (await r.call("ACL", "GENPASS")) as string;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await r.call("ACL", "GENPASS")).not.toBe(a);
    expect(await r.call("ACL", "GENPASS", "5")).toMatch(/^[0-9a-f]{2}$/);
    expect(await r.call("ACL", "GENPASS", "4096")).toHaveLength(1024);
    const range =
      "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096";
    await expect(r.call("ACL", "GENPASS", "0")).rejects.toThrow(range);
    await expect(r.call("ACL", "GENPASS", "4097")).rejects.toThrow(range);
    await expect(r.call("ACL", "GENPASS", "abc")).rejects.toThrow("ERR value is not an integer or out of range");
  });

  it("LOAD and SAVE need an ACL file", async () => {
    const r = target.client();
    const text =
      "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.";
    await expect(r.call("ACL", "LOAD")).rejects.toThrow(text);
    await expect(r.call("ACL", "SAVE")).rejects.toThrow(text);
  });

  it("HELP, arity and unknown subcommands", async () => {
    const r = target.client();
    const help = (await r.call("ACL", "HELP")) as string[];
    expect(help[0]).toBe("ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help).toHaveLength(29);
    expect(help.at(-1)).toBe("    Prints this help.");
    await expect(r.call("ACL", "foo")).rejects.toThrow("ERR unknown subcommand 'foo'. Try ACL HELP.");
    await expect(r.call("ACL", "WHOAMI", "x")).rejects.toThrow(
      "ERR wrong number of arguments for 'acl|whoami' command",
    );
  });
});
