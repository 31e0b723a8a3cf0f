import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();

/** A connection that does not reconnect (so a kill is observable). */
async function connectAs(user: string, password: string): Promise<Redis> {
  const c = target.client({ lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
  await c.connect();
  await c.call("AUTH", user, password);
  return c;
}

describe("ACL and pub/sub", () => {
  it("SETUSER that revokes a subscribed channel disconnects the user's subscribers", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "sub", "on", ">s", "+@all", "~*", "resetchannels", "&news*");
    const c = await connectAs("sub", "s");
    await expect(c.subscribe("other")).rejects.toThrow(
      "NOPERM this user has no permissions to access one of the channels used as arguments",
    );
    await c.subscribe("news1");
    const closed = new Promise((resolve) => c.once("close", resolve));
    // Widening keeps them.
    await r.call("ACL", "SETUSER", "sub", "&more");
    expect(await r.publish("news1", "hello")).toBe(1);
    await r.call("ACL", "SETUSER", "sub", "resetchannels", "&other");
    await closed;
    expect(await r.publish("news1", "hello")).toBe(0);
    await r.call("ACL", "DELUSER", "sub");
  });
});

describe("ACL and pub/sub: losing allchannels", () => {
  // unit/acl "Subscribers are killed when revoked of allchannels permission".
  it("RESETCHANNELS after ALLCHANNELS disconnects the user's pattern subscribers at once", async () => {
    const r = target.client();
    await r.call("ACL", "SETUSER", "psuser", "on", ">pspass", "+@all", "allchannels");
    const c = await connectAs("psuser", "pspass");
    await c.call("CLIENT", "SETNAME", "deathrow");
    await c.psubscribe("foo");
    await r.call("ACL", "SETUSER", "psuser", "resetchannels");
    expect(await r.call("CLIENT", "LIST")).not.toContain("name=deathrow");
    await r.call("ACL", "DELUSER", "psuser");
  });
});
