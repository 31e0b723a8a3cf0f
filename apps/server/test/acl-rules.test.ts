import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigStore } from "../src/config/ConfigStore.js";
import { ACL_CATEGORIES, REDIS_ACL_COMMANDS } from "../src/security/AclCommandSet.js";
import { AclSelector } from "../src/security/AclSelector.js";
import { AclUser } from "../src/security/AclUser.js";
import { AclStartupError, Authenticator } from "../src/security/Authenticator.js";
import { describeCommandRules, describeUser } from "../src/security/describeAcl.js";
import { splitSelectorArgs } from "../src/security/splitSelectorArgs.js";
import { validateUserDirective } from "../src/security/userDirective.js";

const ctx = { commands: REDIS_ACL_COMMANDS, allChannelsByDefault: () => false };

describe("the ACL command set", () => {
  it("holds Redis 7.0's commands and subcommands with their categories", () => {
    const set = REDIS_ACL_COMMANDS;
    expect(set.lookup("GET")?.fullName).toBe("get");
    expect(set.lookup("config|GET")?.fullName).toBe("config|get");
    expect(set.lookup("config|get")?.parent?.fullName).toBe("config");
    expect(set.lookup("get|x")).toBeUndefined();
    expect(set.lookup("config|get|x")).toBeUndefined();
    expect(set.lookup("nosuch")).toBeUndefined();
    expect(set.lookup("auth")?.noAuth).toBe(true);
    expect(set.topLevel.length).toBeGreaterThanOrEqual(240);
    expect(set.futureBit).toBe(set.all.length);
  });
});

describe("describing command rules", () => {
  const op = fc.oneof(
    fc.constantFrom(...ACL_CATEGORIES).chain((c) => fc.constantFrom(`+@${c}`, `-@${c}`)),
    fc.constantFrom(...REDIS_ACL_COMMANDS.all.map((c) => c.fullName)).chain((n) => fc.constantFrom(`+${n}`, `-${n}`)),
    fc.constantFrom("+@all", "-@all", "+select|0", "+debug|object"),
  );

  it("always rebuilds the exact bitmap when replayed (property)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const s = new AclSelector(REDIS_ACL_COMMANDS, 0);
        for (const o of ops) s.apply(o);
        const rules = describeCommandRules(s);
        const replay = new AclSelector(REDIS_ACL_COMMANDS, 0);
        for (const o of rules.split(" ")) replay.apply(o);
        expect(Buffer.from(replay.allowed).equals(Buffer.from(s.allowed))).toBe(true);
        expect(rules.startsWith("+@all") || rules.startsWith("-@all")).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("describes a whole user in ACL LIST form", () => {
    const u = new AclUser("u", ctx);
    for (const o of ["on", ">x", "~a*", "&c", "+get", "(+set %W~w*)"]) u.apply(o);
    expect(describeUser(u)).toBe(
      "on #2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 ~a* resetchannels &c -@all +get (%W~w* resetchannels -@all +set)",
    );
  });
});

describe("selector argument splitting (sdssplitargs)", () => {
  it("splits on spaces and honours quotes and escapes", () => {
    expect(splitSelectorArgs(" +get  ~a* ")).toEqual(["+get", "~a*"]);
    expect(splitSelectorArgs(`"~a b" '~c\\'d' "\\x41\\n"`)).toEqual(["~a b", "~c'd", "A\n"]);
    expect(splitSelectorArgs(`"unterminated`)).toEqual([]);
    expect(splitSelectorArgs(`"a"b`)).toEqual([]);
  });
});

describe("users from the config file and the ACL file at startup", () => {
  it("creates configured users; a `user default` line resets the default user first", () => {
    const auth = new Authenticator(new ConfigStore(), {
      configuredUsers: [
        ["alice", "on", ">a", "~*", "+@all"],
        ["default", "on", "nopass", "+get"],
      ],
    });
    expect(auth.sortedUsers().map((u) => `user ${u.name} ${describeUser(u)}`)).toEqual([
      "user alice on #ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb ~* resetchannels +@all",
      "user default on nopass sanitize-payload resetchannels -@all +get",
    ]);
    expect(auth.authenticate("alice", "a")).toBe(true);
    expect(auth.authenticate("alice", "b")).toBe(false);
    expect(auth.defaultUserNoPass).toBe(true);
  });

  it("refuses an unknown command in a configured user, and users both in the config and an ACL file", () => {
    expect(() => new Authenticator(new ConfigStore(), { configuredUsers: [["alice", "+nocmd"]] })).toThrow(
      new AclStartupError("Critical error while loading ACLs. Exiting."),
    );
    const config = new ConfigStore();
    config.set("aclfile", ["/nonexistent/users.acl"]);
    expect(() => new Authenticator(config, { configuredUsers: [["alice"]] })).toThrow(/but not both\.$/);
    expect(() => new Authenticator(config)).toThrow(
      "Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '/nonexistent/users.acl': No such file or directory",
    );
  });

  it("loads the ACL file at startup, after requirepass", () => {
    const dir = mkdtempSync(join(tmpdir(), "nedis-acl-"));
    try {
      const file = join(dir, "users.acl");
      writeFileSync(file, "user bob on nopass ~b* +get\n");
      const config = new ConfigStore();
      config.set("aclfile", [file]);
      config.set("requirepass", ["pw"]);
      const auth = new Authenticator(config);
      expect(auth.sortedUsers().map((u) => u.name)).toEqual(["bob", "default"]);
      // The file has no default user: it gets Redis's default rules (and no password).
      expect(auth.defaultUserNoPass).toBe(true);
      expect(auth.userDirectiveLines()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("CONFIG REWRITE lines list every user when there is no ACL file", () => {
    const config = new ConfigStore();
    config.set("requirepass", ["pw"]);
    const auth = new Authenticator(config);
    expect(auth.userDirectiveLines()).toEqual([
      "user default on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* &* +@all",
    ]);
  });

  it("checks `user` config lines as Redis does when reading the file", () => {
    expect(validateUserDirective(["alice", "on", ">p", "+nocmd"], [])).toBeNull();
    expect(validateUserDirective(["alice", "on", "foo"], [])).toBe("Error in user declaration 'alice': Syntax error");
    expect(validateUserDirective(["alice", "off"], [["alice", "on"]])).toBe(
      "Error in user declaration 'alice': Duplicate user found. A user can only be defined once in config files",
    );
  });

  it("acl-pubsub-default decides whether new users start with every channel", () => {
    const config = new ConfigStore();
    config.set("acl-pubsub-default", ["allchannels"]);
    const auth = new Authenticator(config);
    const u = auth.newUser("p");
    expect(describeUser(u)).toBe("off &* -@all");
    u.apply("reset");
    expect(describeUser(u)).toBe("off sanitize-payload &* -@all");
  });
});
