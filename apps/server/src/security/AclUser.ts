import { createHash } from "node:crypto";
import type { AclCommandSet } from "./AclCommandSet.js";
import { AclRuleError } from "./AclRuleError.js";
import { AclSelector, SelectorFlag } from "./AclSelector.js";
import { splitSelectorArgs } from "./splitSelectorArgs.js";

/** User flags (Redis's `USER_FLAG_*`), in the order ACL LIST and GETUSER print them. */
export const USER_FLAGS = [
  ["on", 1],
  ["off", 2],
  ["nopass", 4],
  ["skip-sanitize-payload", 8],
  ["sanitize-payload", 16],
] as const;

export const UserFlag = { Enabled: 1, Disabled: 2, NoPass: 4, SkipSanitizePayload: 8, SanitizePayload: 16 } as const;

/** Everything a rule needs from the server beside the user: the command table and `acl-pubsub-default`. */
export interface AclRuleContext {
  readonly commands: AclCommandSet;
  /** True when `acl-pubsub-default` is `allchannels`: new selectors start with every channel. */
  allChannelsByDefault(): boolean;
}

/** Redis's `ACLHashPassword`: lowercase hex SHA-256 of the password bytes (latin1 string). */
export function hashPassword(password: string): string {
  return createHash("sha256").update(password, "latin1").digest("hex");
}

function isPasswordHash(hash: string): boolean {
  return /^[0-9a-f]{64}$/.test(hash);
}

/**
 * An ACL user (Redis's `user`): flags, SHA-256 password hashes, and selectors — the root one
 * (rules outside parentheses) first.
 */
export class AclUser {
  flags: number = UserFlag.Disabled;
  passwords: string[] = [];
  selectors: AclSelector[];

  constructor(
    readonly name: string,
    private readonly ctx: AclRuleContext,
  ) {
    this.selectors = [this.newSelector(SelectorFlag.Root)];
  }

  get root(): AclSelector {
    return this.selectors[0]!;
  }

  get enabled(): boolean {
    return (this.flags & UserFlag.Disabled) === 0;
  }

  get noPass(): boolean {
    return (this.flags & UserFlag.NoPass) !== 0;
  }

  /** True when the user may run anything anywhere: the permission check can be skipped. */
  get unrestricted(): boolean {
    const r = this.root;
    return (
      (r.flags & (SelectorFlag.AllCommands | SelectorFlag.AllKeys | SelectorFlag.AllChannels)) ===
      (SelectorFlag.AllCommands | SelectorFlag.AllKeys | SelectorFlag.AllChannels)
    );
  }

  private newSelector(flags: number): AclSelector {
    return new AclSelector(this.ctx.commands, flags | (this.ctx.allChannelsByDefault() ? SelectorFlag.AllChannels : 0));
  }

  /** A detached copy under another name (ACL SETUSER stages its changes on one). */
  copy(name = this.name): AclUser {
    const u = new AclUser(name, this.ctx);
    u.copyFrom(this);
    return u;
  }

  /** Redis's `ACLCopyUser`: takes every rule of `src`, keeping this user's name. */
  copyFrom(src: AclUser): void {
    this.flags = src.flags;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.copy());
  }

  /** Redis's `ACLCheckUserCredentials` for an existing user. */
  checkPassword(password: string): boolean {
    if (!this.enabled) return false;
    if (this.noPass) return true;
    const hashed = hashPassword(password);
    let ok = false;
    // Compare against every hash without stopping early, like Redis's time-independent compare.
    for (const p of this.passwords) ok = timeIndependentEquals(p, hashed) || ok;
    return ok;
  }

  /**
   * Redis's `ACLSetUser`: applies one rule (flags, passwords, selectors, or a selector rule on
   * the root selector). Throws {@link AclRuleError}.
   */
  apply(op: string): void {
    if (op.length === 0) return;
    const lower = op.toLowerCase();
    switch (lower) {
      case "on":
        this.flags = (this.flags | UserFlag.Enabled) & ~UserFlag.Disabled;
        return;
      case "off":
        this.flags = (this.flags | UserFlag.Disabled) & ~UserFlag.Enabled;
        return;
      case "skip-sanitize-payload":
        this.flags = (this.flags | UserFlag.SkipSanitizePayload) & ~UserFlag.SanitizePayload;
        return;
      case "sanitize-payload":
        this.flags = (this.flags | UserFlag.SanitizePayload) & ~UserFlag.SkipSanitizePayload;
        return;
      case "nopass":
        this.flags |= UserFlag.NoPass;
        this.passwords = [];
        return;
      case "resetpass":
        this.flags &= ~UserFlag.NoPass;
        this.passwords = [];
        return;
      case "clearselectors":
        this.selectors = [this.root];
        return;
      case "reset":
        this.apply("resetpass");
        this.apply("resetkeys");
        this.apply("resetchannels");
        if (this.ctx.allChannelsByDefault()) this.apply("allchannels");
        this.apply("off");
        this.apply("sanitize-payload");
        this.apply("clearselectors");
        this.apply("-@all");
        return;
    }
    const first = op[0];
    if (first === ">" || first === "#") {
      const hash = first === ">" ? hashPassword(op.slice(1)) : op.slice(1);
      if (first === "#" && !isPasswordHash(hash)) throw new AclRuleError("EBADMSG");
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.flags &= ~UserFlag.NoPass;
    } else if (first === "<" || first === "!") {
      const hash = first === "<" ? hashPassword(op.slice(1)) : op.slice(1);
      if (first === "!" && !isPasswordHash(hash)) throw new AclRuleError("EBADMSG");
      const at = this.passwords.indexOf(hash);
      if (at < 0) throw new AclRuleError("ENODEV");
      this.passwords.splice(at, 1);
    } else if (first === "(" && op[op.length - 1] === ")") {
      const selector = this.newSelector(0);
      for (const rule of splitSelectorArgs(op.slice(1, -1))) selector.apply(rule);
      this.selectors.push(selector);
    } else {
      this.root.apply(op);
    }
  }
}

function timeIndependentEquals(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Redis's `ACLMergeSelectorArguments`: a selector may be spread over several arguments
 * (`(+get` `~key)`); they are joined with spaces. Returns the merged rules, or the index of the
 * argument that opens an unterminated selector.
 */
export function mergeSelectorArguments(args: readonly string[]): { rules: string[] } | { unmatched: number } {
  const rules: string[] = [];
  let open = -1;
  let selector = "";
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (op[0] === "(" && op[op.length - 1] !== ")") {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += ` ${op}`;
      if (op[op.length - 1] === ")") {
        open = -1;
        rules.push(selector);
      }
      continue;
    }
    rules.push(op);
  }
  return open !== -1 ? { unmatched: open } : { rules };
}
