import type { ConfigOption } from "./ConfigOption.js";
import { CommandRenames } from "./commandRenames.js";
import { CONFIG_OPTIONS } from "./options.js";
import { quoteRepr } from "./repr.js";
import { splitConfigLine } from "./splitArgs.js";
import { notYetSupportedReason, refusesValue } from "./supportStatus.js";

/** A rejected config line or value, with Redis's reason text. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** One name CONFIG GET can list: an option's own name or one of its aliases. */
export interface ConfigName {
  name: string;
  option: ConfigOption;
}

/** A value to commit for an option (CONFIG SET stages these, then commits them all at once). */
export interface ConfigChange {
  option: ConfigOption;
  value: unknown;
}

/**
 * Reacts to a committed value. Returning an error text refuses it: CONFIG SET then restores
 * every value it changed and replies `CONFIG SET failed (possibly related to argument …) - <text>`.
 */
export type ConfigListener = (value: unknown) => void | string | undefined;

/** Lines CONFIG REWRITE writes for a directive that is not an option (`user`, `loadmodule`). */
export type DirectiveRewriter = () => string[];

/** Names Redis 7.0 still accepts in a config file (and ignores) with one argument. */
const DEPRECATED_DIRECTIVES = new Set(["list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands"]);

/**
 * The live configuration: one parsed value per option of the table. Listeners let subsystems
 * react to CONFIG SET (e.g. `maxmemory` resizes the pool budget).
 */
export class ConfigStore {
  /** Absolute path of the config file the server started with (CONFIG REWRITE), or null. */
  configFile: string | null = null;
  /** `user <name> <rules…>` lines of the config file (without `user`), for the ACL at startup. */
  readonly userDirectives: string[][] = [];
  /** `rename-command` lines of the config file, for the command table. */
  readonly commandRenames = new CommandRenames();
  /**
   * Warnings for the start-up log about not-yet-supported options met in the config file or on
   * the command line: one per option given an accepted value, one per value ignored
   * (`strict-config no`).
   */
  readonly startupWarnings: string[] = [];
  private readonly notedOptions = new Set<ConfigOption>();
  /** Every name CONFIG GET can list, options in table order, each followed by its aliases. */
  readonly names: readonly ConfigName[];
  private readonly byName = new Map<string, ConfigOption>();
  private readonly values = new Map<string, unknown>();
  private readonly defaults = new Map<string, unknown>();
  private readonly listeners = new Map<string, ConfigListener[]>();
  private readonly loadedFromFile = new Set<string>();
  private readonly resetStatsHooks: (() => void)[] = [];
  private readonly directiveRewriters = new Map<string, DirectiveRewriter>();

  constructor(readonly options: readonly ConfigOption[] = CONFIG_OPTIONS) {
    const names: ConfigName[] = [];
    for (const opt of options) {
      for (const name of [opt.name, ...(opt.aliases ?? [])]) {
        if (this.byName.has(name)) throw new Error(`config option declared twice: ${name}`);
        this.byName.set(name, opt);
        names.push({ name, option: opt });
      }
      const words = opt.multiArg ? opt.defaultText.split(" ").filter((w) => w !== "") : [opt.defaultText];
      const parsed = opt.kind.parse(words, { current: undefined, appending: false, command: false });
      if (!parsed.ok) throw new Error(`bad default for ${opt.name}: ${parsed.error}`);
      this.values.set(opt.name, parsed.value);
      this.defaults.set(opt.name, parsed.value);
    }
    this.names = names;
  }

  /** The option declared under `name` or one of its aliases (case-insensitive). */
  lookup(name: string): ConfigOption | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /**
   * Sets an option from its words, as a config file line or a command-line option does (Redis's
   * `loadServerConfigFromString`): one word for most options, a multi-word option may also come
   * as one quoted word, and repeated `save` lines add up. Throws {@link ConfigError}.
   *
   * A not-yet-supported option accepts only its default or an "off" value: anything else is an
   * error naming the option, or with `strict-config no` a warning, the value ignored.
   */
  set(name: string, words: readonly string[]): void {
    const opt = this.lookup(name);
    if (!opt) {
      if (DEPRECATED_DIRECTIVES.has(name.toLowerCase()) && words.length === 1) return;
      throw new ConfigError(name, "Bad directive or wrong number of arguments");
    }
    let args = words;
    if (!opt.multiArg) {
      if (args.length !== 1) throw new ConfigError(opt.name, "wrong number of arguments");
    } else if (args.length === 1 && args[0] !== "") {
      args = splitConfigLine(args[0]!) ?? [];
    }
    const parsed = opt.kind.parse(args, {
      current: this.values.get(opt.name),
      appending: this.loadedFromFile.has(opt.name),
      command: false,
    });
    if (!parsed.ok) throw new ConfigError(opt.name, parsed.error);
    if (opt.status.kind === "not yet supported" && !this.noteUnsupported(opt, parsed.value, [name, ...words])) return;
    const failure = this.commit([{ option: opt, value: parsed.value }]);
    if (failure !== null) throw new ConfigError(failure.option.name, failure.error);
    this.loadedFromFile.add(opt.name);
  }

  /**
   * Notes a not-yet-supported option met at start-up; false when its value is to be ignored.
   * Throws the refusal in strict mode (the default), as Redis stops at a bad config line.
   */
  private noteUnsupported(opt: ConfigOption, value: unknown, line: readonly string[]): boolean {
    const text = line.map((w) => (/^[\x21-\x7e]+$/.test(w) && !/["'\\]/.test(w) ? w : quoteRepr(w))).join(" ");
    if (!this.refuses(opt, value)) {
      if (!this.notedOptions.has(opt)) {
        this.notedOptions.add(opt);
        this.startupWarnings.push(
          `'${text}': ${opt.name} is not supported by nedis yet; this value is its default (or means off), so nothing is lost`,
        );
      }
      return true;
    }
    const reason = notYetSupportedReason(opt);
    if (this.bool("strict-config")) {
      throw new ConfigError(opt.name, `${reason}. Start with --strict-config no to ignore such values.`);
    }
    this.notedOptions.add(opt);
    this.startupWarnings.push(`Ignoring '${text}' (strict-config no): ${reason}`);
    return false;
  }

  /**
   * The refusal of `value` for a not-yet-supported option (anything but its default or an off
   * value), as CONFIG SET reports it; null when the value is accepted.
   */
  refusal(opt: ConfigOption, value: unknown): string | null {
    return this.refuses(opt, value) ? notYetSupportedReason(opt) : null;
  }

  private refuses(opt: ConfigOption, value: unknown): boolean {
    return refusesValue(opt, value, this.defaults.get(opt.name), sameValue);
  }

  /**
   * Commits values atomically: runs each option's effect, stores the values, then notifies
   * listeners of the options whose value changed. If an effect or a listener refuses, every
   * value is restored (and listeners told again) and the refusal is returned.
   */
  commit(changes: readonly ConfigChange[]): { option: ConfigOption; error: string } | null {
    // Several changes to one option (a name and its alias) keep the last value.
    const finals = new Map<ConfigOption, unknown>();
    for (const c of changes) finals.set(c.option, c.value);
    const previous = new Map<ConfigOption, unknown>();
    for (const opt of finals.keys()) previous.set(opt, this.values.get(opt.name));

    const effected: ConfigOption[] = [];
    for (const [opt, value] of finals) {
      const error = opt.effect?.(value) ?? null;
      if (error !== null) {
        for (const done of effected) done.effect!(previous.get(done));
        return { option: opt, error };
      }
      if (opt.effect) effected.push(opt);
    }
    for (const [opt, value] of finals) this.values.set(opt.name, value);

    const notified: ConfigOption[] = [];
    for (const [opt, value] of finals) {
      if (sameValue(previous.get(opt), value)) continue;
      notified.push(opt);
      for (const fn of this.listeners.get(opt.name) ?? []) {
        const error = fn(value);
        if (typeof error === "string") {
          this.restore(previous, notified, effected);
          return { option: opt, error };
        }
      }
    }
    return null;
  }

  private restore(previous: Map<ConfigOption, unknown>, notified: ConfigOption[], effected: ConfigOption[]): void {
    for (const [opt, value] of previous) this.values.set(opt.name, value);
    for (const opt of effected) opt.effect!(previous.get(opt));
    for (const opt of notified) for (const fn of this.listeners.get(opt.name) ?? []) fn(previous.get(opt));
  }

  /** The current value of an option. */
  value(opt: ConfigOption): unknown {
    return this.values.get(opt.name);
  }

  /** The option's default value (CONFIG REWRITE leaves defaults out of the file). */
  defaultValue(opt: ConfigOption): unknown {
    return this.defaults.get(opt.name);
  }

  /** The formatted value, as CONFIG GET prints it. */
  format(opt: ConfigOption): string {
    return opt.kind.format(this.values.get(opt.name));
  }

  number(name: string): number {
    return this.values.get(name) as number;
  }

  string(name: string): string {
    return this.values.get(name) as string;
  }

  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  list(name: string): string[] {
    return this.values.get(name) as string[];
  }

  /** The value of any option, typed by the caller (see `options.ts` for each option's type). */
  get<T>(name: string): T {
    return this.values.get(this.lookup(name)?.name ?? name) as T;
  }

  /** Calls `fn` whenever `name` (or its alias) changes after startup; see {@link ConfigListener}. */
  onChange(name: string, fn: ConfigListener): void {
    const key = this.lookup(name)?.name ?? name;
    const list = this.listeners.get(key) ?? [];
    list.push(fn);
    this.listeners.set(key, list);
  }

  /** Registers a reset of statistics for CONFIG RESETSTAT (server stats, command stats, …). */
  onResetStats(fn: () => void): void {
    this.resetStatsHooks.push(fn);
  }

  /** CONFIG RESETSTAT: runs every registered reset. */
  resetStats(): void {
    for (const fn of this.resetStatsHooks) fn();
  }

  /**
   * Lets a subsystem own a non-option directive in CONFIG REWRITE (the ACL owner's `user`
   * lines): its old lines are replaced by what `fn` returns. Unregistered directives
   * (`include`, `rename-command`) are kept as they are.
   */
  onRewrite(directive: string, fn: DirectiveRewriter): void {
    this.directiveRewriters.set(directive.toLowerCase(), fn);
  }

  /** The registered directive rewriters, for CONFIG REWRITE. */
  rewriters(): ReadonlyMap<string, DirectiveRewriter> {
    return this.directiveRewriters;
  }
}

/** Values are JSON-shaped (numbers, strings, arrays, plain objects, null). */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
