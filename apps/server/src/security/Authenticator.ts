import { createHash, timingSafeEqual } from "node:crypto";
import type { ConfigStore } from "../config/ConfigStore.js";

/**
 * Who may connect. Until ACL users exist this is Redis's `default` user: no password unless
 * `requirepass` is set. Passwords are compared as SHA-256 digests in constant time, as Redis does.
 */
export class Authenticator {
  constructor(private readonly config: ConfigStore) {}

  /** True when the default user has no password (`nopass`), so new clients start authenticated. */
  get defaultUserNoPass(): boolean {
    return this.config.string("requirepass") === "";
  }

  /** Checks a username/password pair; `default` is the only user for now. */
  authenticate(user: string, password: string): boolean {
    if (user !== "default") return false;
    const required = this.config.string("requirepass");
    if (required === "") return true;
    return timingSafeEqual(sha256(password), sha256(required));
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "latin1").digest();
}
