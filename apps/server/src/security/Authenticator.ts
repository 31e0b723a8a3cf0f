import type { CommandArgs, CommandSpec } from "../commands/CommandSpec.js";
import type { ConfigStore } from "../config/ConfigStore.js";
import type { Logger } from "../Logger.js";
import type { Client } from "../net/Client.js";
import { clientInfoLine } from "../net/clientInfo.js";
import { type AclCommand, REDIS_ACL_COMMANDS } from "./AclCommandSet.js";
import { type AclFileLoad, loadAclFile } from "./AclFile.js";
import { AclDenied, AclLog, type AclLogContext } from "./AclLog.js";
import { AclRuleError } from "./AclRuleError.js";
import { hasSpaces } from "./AclSelector.js";
import { type AclRuleContext, AclUser, mergeSelectorArguments } from "./AclUser.js";
import {
  type CheckedCommand,
  checkUserPermission,
  type DeniedAt,
  userHasUnrestrictedKeyAccess,
} from "./checkPermission.js";
import { describeUser } from "./describeAcl.js";

/** ACL users could not be set up at startup; the message is Redis's log line. */
export class AclStartupError extends Error {
  override readonly name = "AclStartupError";
}

export interface AuthenticatorOptions {
  /** `user <name> <rules…>` directives of the config file, without the `user` word, in order. */
  configuredUsers?: readonly (readonly string[])[];
  log?: Logger;
}

/**
 * Who may connect and what they may run: Redis's ACL. Holds the users (the `default` user kept
 * in sync with `requirepass`), authenticates AUTH/HELLO, checks every command against the
 * client's user (commands, first arguments, key and channel patterns, selectors) and keeps the
 * ACL LOG. Names and passwords are binary (latin1) strings.
 */
export class Authenticator {
  readonly commands = REDIS_ACL_COMMANDS;
  readonly users = new Map<string, AclUser>();
  readonly defaultUser: AclUser;
  readonly log = new AclLog();
  readonly rules: AclRuleContext;
  private readonly deniedAt: DeniedAt = { index: 0 };
  private readonly pseudoSpecs = new Map<AclCommand, CommandSpec>();

  constructor(
    private readonly config: ConfigStore,
    options: AuthenticatorOptions = {},
  ) {
    this.rules = {
      commands: this.commands,
      allChannelsByDefault: () => config.get<string>("acl-pubsub-default") === "allchannels",
    };
    this.defaultUser = this.createDefaultUser();
    this.users.set("default", this.defaultUser);
    this.updateDefaultPassword(config.string("requirepass"));
    config.onChange("requirepass", (value) => {
      this.updateDefaultPassword(typeof value === "string" ? value : "");
    });
    this.loadAtStartup(options.configuredUsers ?? [], options.log);
  }

  /**
   * The `user` lines CONFIG REWRITE writes (Redis's `rewriteConfigUserOption`): every user,
   * default included, unless users live in an ACL file. To be registered with
   * `config.onRewrite("user", …)` once the config loader reads `user` lines back.
   */
  userDirectiveLines(): string[] {
    if (this.config.string("aclfile") !== "") return [];
    return this.sortedUsers().map((u) => `user ${u.name} ${describeUser(u)}`);
  }

  private createDefaultUser(): AclUser {
    const u = new AclUser("default", this.rules);
    for (const op of ["+@all", "~*", "&*", "on", "nopass"]) u.apply(op);
    return u;
  }

  /** Redis's `ACLUpdateDefaultUserPassword`: `requirepass` sets (or, empty, clears) the password. */
  private updateDefaultPassword(password: string): void {
    this.defaultUser.apply("resetpass");
    this.defaultUser.apply(password === "" ? "nopass" : `>${password}`);
  }

  /** Redis's `ACLLoadUsersAtStartup`: config `user` lines, then the ACL file. */
  private loadAtStartup(configured: readonly (readonly string[])[], log: Logger | undefined): void {
    const aclfile = this.config.string("aclfile");
    if (aclfile !== "" && configured.length > 0) {
      throw new AclStartupError(
        "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.",
      );
    }
    for (const words of configured) {
      const [name = "", ...rest] = words;
      if (hasSpaces(name)) throw new AclStartupError("Spaces not allowed in ACL usernames");
      const merged = mergeSelectorArguments(rest);
      const rules = "rules" in merged ? merged.rules : rest;
      let user = this.users.get(name);
      if (user === undefined) {
        user = new AclUser(name, this.rules);
        this.users.set(name, user);
      } else {
        user.apply("reset");
      }
      for (const rule of rules) {
        try {
          user.apply(rule);
        } catch (err) {
          if (!(err instanceof AclRuleError)) throw err;
          log?.warning(`Error loading ACL rule '${rule}' for the user named '${name}': ${err.message}`);
          throw new AclStartupError("Critical error while loading ACLs. Exiting.");
        }
      }
      if (!user.enabled) {
        log?.notice(
          `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
        );
      }
    }
    if (aclfile !== "") {
      const loaded = loadAclFile(this, aclfile);
      if ("errors" in loaded)
        throw new AclStartupError(`Aborting Redis startup because of ACL errors: ${loaded.errors}`);
    }
  }

  /** True when new clients start authenticated: the default user needs no password and is on. */
  get defaultUserNoPass(): boolean {
    return this.defaultUser.noPass && this.defaultUser.enabled;
  }

  getUser(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  /** Users sorted by name bytes, as Redis's radix tree lists them. */
  sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Redis's `ACLCheckUserCredentials`: true when `user` exists, is on, and `password` matches. */
  authenticate(user: string, password: string): boolean {
    return this.users.get(user)?.checkPassword(password) ?? false;
  }

  /** Logs a failed AUTH/HELLO AUTH (ACL LOG reason `auth`). */
  logDeniedAuth(client: Client, username: string): void {
    this.addLogEntry(client, AclDenied.Auth, contextOf(client), commandWord(client), username);
  }

  /**
   * The ACL check of Redis's `processCommand`: null when the client's user may run the command
   * with these arguments, else the NOPERM error text (the denial is logged).
   */
  checkCommand(client: Client, container: CommandSpec, cmd: CommandSpec, args: CommandArgs): string | null {
    // Hot path: most clients are the default user, which usually may run anything.
    const user = client.user === "default" ? this.defaultUser : this.users.get(client.user);
    if (user !== undefined && user.unrestricted) return null;
    const denied = this.check(user, container, cmd, args);
    if (denied === 0) return null;
    client.lastCommand = cmd;
    client.lastContainer = container;
    this.logDenial(client, denied, contextOf(client), container, cmd, args);
    if (denied === AclDenied.Command)
      return `NOPERM this user has no permissions to run the '${fullNameOf(cmd, container)}' command`;
    if (denied === AclDenied.Key)
      return "NOPERM this user has no permissions to access one of the keys used as arguments";
    return "NOPERM this user has no permissions to access one of the channels used as arguments";
  }

  /**
   * The second check EXEC makes of each queued command (rules may have changed since it was
   * queued): null when allowed, else Redis's `NOPERM ACLs rules changed …` error text (logged
   * with context `multi`).
   */
  checkQueuedCommand(client: Client, container: CommandSpec, cmd: CommandSpec, args: CommandArgs): string | null {
    const user = this.users.get(client.user);
    if (user !== undefined && user.unrestricted) return null;
    const denied = this.check(user, container, cmd, args);
    if (denied === 0) return null;
    this.logDenial(client, denied, "multi", container, cmd, args);
    const reason =
      denied === AclDenied.Command
        ? "no permission to execute the command or subcommand"
        : denied === AclDenied.Key
          ? "no permission to touch the specified keys"
          : "no permission to access one of the channels used as arguments";
    return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;
  }

  /**
   * Whether the client's user may run `cmd` and read any key (SORT's BY and GET patterns):
   * Redis's `ACLUserCheckCmdWithUnrestrictedKeyAccess`.
   */
  hasUnrestrictedKeyAccess(client: Client, container: CommandSpec, cmd: CommandSpec, args: CommandArgs): boolean {
    const user = client.user === "default" ? this.defaultUser : this.users.get(client.user);
    if (user === undefined) return false;
    if (user.unrestricted) return true;
    const acl = this.commands.ofSpec(cmd, container);
    if (acl === undefined) return false;
    return userHasUnrestrictedKeyAccess(user, { acl, spec: cmd }, args, 0);
  }

  /** 0 or the denial; `this.deniedAt` holds the argument index of a denied key or channel. */
  private check(user: AclUser | undefined, container: CommandSpec, cmd: CommandSpec, args: CommandArgs): number {
    if (user === undefined) return AclDenied.Command;
    const acl = this.commands.ofSpec(cmd, container);
    // A command Redis does not have is a "future command": only `+@all` selectors may run it.
    if (acl === undefined) return user.selectors.some((s) => s.canRunFutureCommands()) ? 0 : AclDenied.Command;
    return checkUserPermission(user, { acl, spec: cmd }, args, 0, this.deniedAt);
  }

  /**
   * ACL DRYRUN: 0 or the denial of `acl` run by `user` with `args` (command name at `first`),
   * the denied argument index in `at`. `spec` finds the keys; without one (a Redis command nedis
   * lacks) only key specs are used.
   */
  dryRun(
    user: AclUser,
    acl: AclCommand,
    spec: CommandSpec | undefined,
    args: CommandArgs,
    first: number,
    at: DeniedAt,
  ): number {
    const checked: CheckedCommand = { acl, spec: spec ?? this.pseudoSpec(acl) };
    return checkUserPermission(user, checked, args, first, at);
  }

  private pseudoSpec(acl: AclCommand): CommandSpec {
    let spec = this.pseudoSpecs.get(acl);
    if (spec === undefined) {
      spec = {
        id: -1,
        name: acl.fullName,
        arity: acl.arity,
        flags: [],
        flagBits: 0,
        aclCategories: [],
        firstKey: 0,
        lastKey: 0,
        keyStep: 0,
        handler: () => {},
      };
      this.pseudoSpecs.set(acl, spec);
    }
    return spec;
  }

  private logDenial(
    client: Client,
    denied: number,
    context: AclLogContext,
    container: CommandSpec,
    cmd: CommandSpec,
    args: CommandArgs,
  ): void {
    const object = denied === AclDenied.Command ? fullNameOf(cmd, container) : args.argString(this.deniedAt.index);
    this.addLogEntry(client, denied as AclDenied, context, object, client.user);
  }

  /** Redis's `addACLLogEntry`. */
  addLogEntry(client: Client, reason: AclDenied, context: AclLogContext, object: string, username: string): void {
    this.log.add(
      { reason, context, object, username, createdAt: Date.now(), clientInfo: clientInfoLine(client) },
      this.config.number("acllog-max-len"),
    );
  }

  /**
   * ACL LOAD: replaces every user by the ACL file's (the default user object is kept and takes
   * the file's rules), or changes nothing and returns Redis's error text. The caller disconnects
   * the clients of the replaced users.
   */
  loadFile(): AclFileLoad {
    return loadAclFile(this, this.config.string("aclfile"));
  }

  /** Creates a user with no rights, as ACL SETUSER and ACL files do. */
  newUser(name: string): AclUser {
    return new AclUser(name, this.rules);
  }

  /** A user with Redis's default-user rules (an ACL file without `user default`). */
  newDefaultUser(): AclUser {
    return this.createDefaultUser();
  }
}

function fullNameOf(cmd: CommandSpec, container: CommandSpec): string {
  return cmd === container ? cmd.name : `${container.name}|${cmd.name}`;
}

function contextOf(client: Client): AclLogContext {
  return client.multi !== null ? "multi" : "toplevel";
}

/** The AUTH or HELLO word as the client typed it (Redis logs `argv[0]`). */
function commandWord(client: Client): string {
  const last = client.lastCommand;
  const p = client.parser;
  if (last !== null && p.argc > 0 && p.argEquals(0, last.name)) return p.argString(0);
  return last?.name ?? "auth";
}
