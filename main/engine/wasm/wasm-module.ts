/**
 * Our hand-written WebAssembly modules (shipped as base64, see scripts/build-simd.mjs) run on
 * the wasm backend's own memory, which they import: compiled once, instantiated once per memory.
 */

/**
 * `instantiate(memory)` for the module in `base64`: its exports, or null where this runtime
 * cannot compile it. `beforeCompile` may prepare the runtime (it gets the bytes).
 */
export function perMemory<Exports>(
  base64: string,
  beforeCompile?: (bytes: Uint8Array<ArrayBuffer>) => void,
): (memory: WebAssembly.Memory) => Exports | null {
  let compiled: WebAssembly.Module | null | undefined;
  const instances = new WeakMap<WebAssembly.Memory, Exports | null>();
  const compile = (): WebAssembly.Module | null => {
    if (compiled === undefined) {
      const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
      beforeCompile?.(bytes);
      try {
        compiled = new WebAssembly.Module(bytes);
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
  return (memory) => {
    if (!instances.has(memory)) {
      const module = compile();
      instances.set(memory, module ? (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports) : null);
    }
    return instances.get(memory) ?? null;
  };
}
