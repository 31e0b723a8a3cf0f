/**
 * The parts of the WebAssembly JS API this package uses. TypeScript types them only in the DOM
 * library, which the packages that compile this source (the server) do not load.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmTable {
  readonly length: number;
  grow(delta: number): number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}

type WasmImports = Record<string, Record<string, unknown>>;

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: WasmImports) => { exports: Record<string, unknown> };
}

export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
