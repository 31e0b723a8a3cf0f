import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findImportCycles, formatCycles } from "../../../scripts/import-cycles.mjs";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

describe("import cycles in packages/keyspace/src", () => {
  it("has none, type-only imports included: databases, eviction and expiry see a narrow host, not Keyspace", () => {
    const { all } = findImportCycles(SRC);
    expect(formatCycles("cycles", all)).toBe("cycles: none");
  });
});
