import { describe, expect, it } from "vitest";
import { isLocalPeer } from "../src/net/ProtectedMode.js";

describe("protected mode's local peers", () => {
  it("are 127.0.0.1, ::1 (also IPv4-mapped) and unix sockets only", () => {
    expect(isLocalPeer("127.0.0.1")).toBe(true);
    expect(isLocalPeer("::ffff:127.0.0.1")).toBe(true);
    expect(isLocalPeer("::1")).toBe(true);
    expect(isLocalPeer(undefined)).toBe(true);
    expect(isLocalPeer("127.0.0.2")).toBe(false);
    expect(isLocalPeer("10.0.0.1")).toBe(false);
    expect(isLocalPeer("::2")).toBe(false);
  });
});
