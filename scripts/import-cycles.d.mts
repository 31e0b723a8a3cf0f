/** Types of `import-cycles.mjs` (for tests that import it). */
export interface ImportEdge {
  readonly to: string;
  readonly typeOnly: boolean;
}
export interface ImportCycles {
  /** Strongly connected groups over every import (type-only ones included). */
  readonly all: string[][];
  /** Strongly connected groups over runtime imports only. */
  readonly runtime: string[][];
}
export function importGraph(srcDir: string): Map<string, ImportEdge[]>;
export function findImportCycles(srcDir: string): ImportCycles;
export function formatCycles(title: string, groups: readonly (readonly string[])[]): string;
