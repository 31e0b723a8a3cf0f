import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The path of an executable found on PATH, or null (checked once at startup, not per use). */
export function findProgram(name: string, path = process.env.PATH ?? ""): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: try the next directory.
    }
  }
  return null;
}
