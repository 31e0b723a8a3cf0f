/**
 * Redis's `is_valid_fn` checks for string options, with its error texts. Each returns null for a
 * valid value, else the reason.
 */

/** `pathIsBaseName`: no directory separator. */
const isBaseName = (path: string): boolean => !path.includes("/") && !path.includes("\\");

export function validateDbFilename(value: string): string | null {
  return isBaseName(value) ? null : "dbfilename can't be a path, just a filename";
}

export function validateAofFilename(value: string): string | null {
  if (value === "") return "appendfilename can't be empty";
  return isBaseName(value) ? null : "appendfilename can't be a path, just a filename";
}

export function validateAofDirname(value: string): string | null {
  if (value === "") return "appenddirname can't be empty";
  return isBaseName(value) ? null : "appenddirname can't be a path, just a dirname";
}

/** `isValidAnnouncedHostname`: under 256 bytes of letters, digits, `-` and `.`. */
export function validateAnnouncedHostname(value: string): string | null {
  if (value.length >= 256) return "Hostnames must be less than 256 characters";
  if (!/^[A-Za-z0-9.-]*$/.test(value)) return "Hostnames may only contain alphanumeric characters, hyphens or dots";
  return null;
}

/** The variables `proc-title-template` may use; `{title}` and the mode expand to "" when validating. */
const TITLE_VARIABLES: Record<string, string> = {
  title: "",
  "listen-addr": "*:6379",
  "server-mode": "",
  port: "6379",
  "tls-port": "0",
  unixsocket: "",
  "config-file": "-",
};

/**
 * `validateProcTitleTemplate`: `sdstemplate` expansion (`{var}`, `{{` for a brace) must know
 * every variable and give a non-empty title.
 */
export function validateProcTitleTemplate(template: string): string | null {
  const invalid = "template format is invalid or contains unknown variables";
  let out = "";
  let p = 0;
  while (p < template.length) {
    const open = template.indexOf("{", p);
    if (open < 0) {
      out += template.slice(p);
      break;
    }
    out += template.slice(p, open);
    if (open + 1 >= template.length) return invalid;
    if (template[open + 1] === "{") {
      out += "{";
      p = open + 2;
      continue;
    }
    const close = template.indexOf("}", open + 1);
    if (close < 0) return invalid;
    const value = TITLE_VARIABLES[template.slice(open + 1, close)];
    if (value === undefined) return invalid;
    out += value;
    p = close + 1;
  }
  // Redis trims spaces off the expanded title.
  return out.replace(/^ +| +$/g, "") === "" ? invalid : null;
}
