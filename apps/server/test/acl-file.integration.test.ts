import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

let dir: string;
let file: string;
const target = useTarget(() => {
  dir = mkdtempSync(join(tmpdir(), "nedis-aclfile-"));
  file = join(dir, "users.acl");
  writeFileSync(file, "user alice on >a ~* +@all\nuser bob on nopass\n");
  return [["aclfile", [file]]];
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("aclfile", () => {
  it("users come from the ACL file at startup; the default user keeps its defaults", async () => {
    const r = target.client();
    expect(await r.call("ACL", "LIST")).toEqual([
      `user alice on #${sha("a")} ~* resetchannels +@all`,
      "user bob on nopass resetchannels -@all",
      "user default on nopass ~* &* +@all",
    ]);
  });

  it("ACL SAVE writes every user, sorted by name", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "carol", "on", ">c", "%R~r*", "+get");
    expect(await r.call("ACL", "SAVE")).toBe("OK");
    expect(readFileSync(file, "latin1")).toBe(
      `user alice on #${sha("a")} ~* resetchannels +@all\n` +
        "user bob on nopass resetchannels -@all\n" +
        `user carol on #${sha("c")} %R~r* resetchannels -@all +get\n` +
        "user default on nopass ~* &* +@all\n",
    );
  });

  it("ACL LOAD with errors changes nothing and lists every problem", async () => {
    const r = target.client();
    writeFileSync(
      file,
      "user alice on >a ~* +@all\n\n  user  carol  on   foo\nfoo bar\nuser\nuser bob on +nocmd\nuser alice off\n#comment\n",
    );
    await expect(r.call("ACL", "LOAD")).rejects.toThrow(
      `ERR ${file}:3: Syntax error. ${file}:4 should start with user keyword followed by the username. ` +
        `${file}:5 should start with user keyword followed by the username. ` +
        `${file}:6: Error in applying operation '+nocmd': Unknown command or category name in ACL. ` +
        `WARNING: Duplicate user 'alice' found on line 7. ${file}:8 should start with user keyword followed by the username. ` +
        "WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    );
    expect(await r.call("ACL", "USERS")).toEqual(["alice", "bob", "carol", "default"]);
  });

  it("ACL LOAD replaces the users and disconnects clients of the old ones", async () => {
    const r = target.client();
    const alice = target.client({ lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
    await alice.connect();
    expect(await alice.call("AUTH", "alice", "a")).toBe("OK");
    const closed = new Promise((resolve) => alice.once("close", resolve));
    writeFileSync(file, "user alice on >a ~* +@all\nuser default on >d ~* &* +@all\n");
    expect(await r.call("ACL", "LOAD")).toBe("OK");
    await closed;
    // The default user took the file's rules; this connection stays authenticated.
    expect(await r.call("ACL", "LIST")).toEqual([
      `user alice on #${sha("a")} ~* resetchannels +@all`,
      `user default on #${sha("d")} ~* &* +@all`,
    ]);
    writeFileSync(file, "user default on nopass ~* &* +@all\n");
    expect(await r.call("ACL", "LOAD")).toBe("OK");
  });

  it("ACL LOAD of a missing file names the file", async () => {
    const r = target.client();
    rmSync(file);
    await expect(r.call("ACL", "LOAD")).rejects.toThrow(
      `ERR Error loading ACLs, opening file '${file}': No such file or directory`,
    );
  });
});
