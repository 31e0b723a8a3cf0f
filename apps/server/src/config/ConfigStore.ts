import type { ConfigOption } from "./ConfigOption.js";
import { CONFIG_OPTIONS } from "./options.js";

/** A rejected config line or value, with Redis's reason text. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly option: string, readonly reason: string) {
    super(reason);
  }
}

/**
 * The live configuration: one parsed value per option of the table. Listeners let subsystems
 * react to CONFIG SET (e.g. `maxmemory` resizes the pool budget).
 */
export class ConfigStore {
  private readonly byName = new Map<string, ConfigOption>();
  private readonly values = new Map<string, unknown>();
  private readonly listeners = new Map<string, ((value: unknown) => void)[]>();

  constructor(readonly options: readonly ConfigOption[] = CONFIG_OPTIONS) {
    for (const opt of options) {
      this.byName.set(opt.name, opt);
      for (const alias of opt.aliases ?? []) this.byName.set(alias, opt);
      const parsed = opt.kind.parse(opt.defaultText === "" ? [""] : [opt.defaultText]);
      if (!parsed.ok) throw new Error(`bad default for ${opt.name}: ${parsed.error}`);
      this.values.set(opt.name, parsed.value);
    }
  }

  /** The option declared under `name` or one of its aliases (case-insensitive). */
  lookup(name: string): ConfigOption | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Sets an option from its words, as from a config file line or the command line. */
  set(name: string, words: readonly string[]): void {
    const opt = this.lookup(name);
    if (!opt) throw new ConfigError(name, "Bad directive or wrong number of arguments");
    const parsed = opt.kind.parse(words);
    if (!parsed.ok) throw new ConfigError(opt.name, parsed.error);
    this.values.set(opt.name, parsed.value);
    for (const fn of this.listeners.get(opt.name) ?? []) fn(parsed.value);
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

  /** Calls `fn` whenever `name` is set after startup. */
  onChange(name: string, fn: (value: unknown) => void): void {
    const list = this.listeners.get(name) ?? [];
    list.push(fn);
    this.listeners.set(name, list);
  }
}
