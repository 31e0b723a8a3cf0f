import { describe, expect, it } from "vitest";
import { Keyspace } from "../src/index.js";

const b = (s: string) => Buffer.from(s, "latin1");

describe("Keyspace", () => {
  it("creates the configured number of databases", () => {
    expect(new Keyspace().databases).toHaveLength(16);
    expect(new Keyspace({ databases: 3 }).databases).toHaveLength(3);
  });

  it("stores a copy of the value bytes, not a view of the caller's buffer", () => {
    const ks = new Keyspace();
    const db = ks.db(0);
    const input = b("xxkeyvalue");
    db.setString(input, 2, 3, input, 5, 5);
    input.fill(0);
    expect(Buffer.from(db.getString(b("key"), 0, 3)!).toString()).toBe("value");
  });

  it("keeps databases separate and flushes them", () => {
    const ks = new Keyspace();
    ks.db(0).setString(b("a"), 0, 1, b("1"), 0, 1);
    ks.db(1).setString(b("a"), 0, 1, b("2"), 0, 1);
    ks.db(1).setString(b("b"), 0, 1, b("2"), 0, 1);
    expect(ks.keyCount).toBe(3);
    expect(ks.db(1).flush()).toBe(2);
    expect(ks.db(0).exists(b("a"), 0, 1)).toBe(true);
    expect(ks.flushAll()).toBe(1);
    expect(ks.keyCount).toBe(0);
  });

  it("deletes keys and reports whether they existed", () => {
    const db = new Keyspace().db(0);
    db.setString(b("k"), 0, 1, b("v"), 0, 1);
    expect(db.delete(b("k"), 0, 1)).toBe(true);
    expect(db.delete(b("k"), 0, 1)).toBe(false);
    expect(db.getString(b("k"), 0, 1)).toBeNull();
  });
});
