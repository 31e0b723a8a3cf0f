import { splitConfigLine } from "../config/splitArgs.js";

/**
 * The redis-server command line: `nedis-server [/path/to/nedis.conf] [-] [--option value …]`.
 * Options are applied after the config file and stdin, as if appended to the file.
 */
export type CliRequest =
  | { kind: "version" }
  | { kind: "help" }
  | { kind: "run"; configFile: string | null; configFromStdin: boolean; options: [string, string[]][] };

export function parseArgs(argv: readonly string[]): CliRequest {
  const first = argv[0];
  if (first === "-v" || first === "--version") return { kind: "version" };
  if (first === "-h" || first === "--help") return { kind: "help" };
  let j = 0;
  let configFile: string | null = null;
  let configFromStdin = false;
  if (first !== undefined && !first.startsWith("-")) {
    configFile = first;
    j = 1;
  }
  const options: [string, string[]][] = [];
  // Redis: after an option name alone, the next argument is its value even if it starts with `--`.
  let handledLastArg = true;
  for (; j < argv.length; j++) {
    const arg = argv[j]!;
    if (arg === "-" && (j === 0 || j === argv.length - 1)) {
      configFromStdin = true;
    } else if (handledLastArg && arg.startsWith("--")) {
      // Redis appends `--name value` to the config text: quotes are read as in a config line.
      const words =
        splitConfigLine(arg.slice(2)) ??
        arg
          .slice(2)
          .split(" ")
          .filter((w) => w !== "");
      const [name, ...inline] = words;
      options.push([name ?? "", inline]);
      if (inline.length === 0) {
        handledLastArg = false;
        const next = argv[j + 1];
        // `--save` with no value (last, or followed by another option) means `save ""`.
        if (arg.toLowerCase() === "--save" && (next === undefined || next.startsWith("--"))) {
          options[options.length - 1]![1].push("");
          handledLastArg = true;
        }
      }
    } else {
      const last = options[options.length - 1];
      // Words before any `--option` form a config line of their own (`loglevel verbose`),
      // which Redis accepts too.
      if (last === undefined) options.push([arg, []]);
      else last[1].push(arg);
      handledLastArg = true;
    }
  }
  return { kind: "run", configFile, configFromStdin, options };
}

export const USAGE = `Usage: ./nedis-server [/path/to/nedis.conf] [options] [-]
       ./nedis-server - (read config from stdin)
       ./nedis-server -v or --version
       ./nedis-server -h or --help

Examples:
       ./nedis-server (run the server with default conf)
       echo 'maxmemory 128mb' | ./nedis-server -
       ./nedis-server /etc/redis/6379.conf
       ./nedis-server --port 7777
       ./nedis-server /etc/mynedis.conf --loglevel verbose -
       ./nedis-server /etc/mynedis.conf --loglevel verbose
`;
