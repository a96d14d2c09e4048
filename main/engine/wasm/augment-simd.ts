/**
 * Training-time augmentation's hot loops in WebAssembly (augment-simd.wat): an augmentation
 * workspace whose buffers are views of the module's own memory, with the kernels that work on
 * them. The images come out the same bit for bit as common/augment.ts's JavaScript gives; each
 * training thread makes its own. Where this runtime has no WebAssembly SIMD, the JavaScript's
 * own workspace instead.
 */
import type { AugmentKernels, AugmentWorkspace, CanvasWindow, InkBox } from '../../../common/augment';
import { GRID_CELL, GRID_FRACTION, augmentWorkspace } from '../../../common/augment';
import { PIXEL_COUNT } from '../../../common/mnist';
import { INK_THRESHOLD } from '../../../common/preprocess';
import { AUGMENT_SIMD_BASE64 } from './augment-simd.generated';

/** Byte offsets of the workspace in the module's memory (the layout at the top of augment-simd.wat). */
const AT = {
  padded: 0,
  canvas: 4096,
  spare: 8192,
  line: 12288,
  fieldLine: 16384,
  field: 16448,
  cell: 16704,
  fraction: 16832,
  box: 16960,
  fitted: 17408,
  source: 47104,
} as const;

interface AugmentExports {
  memory: WebAssembly.Memory;
  warpLinear(a: number, b: number, c: number, d: number, u0: number, u1: number, v0: number, v1: number): void;
  warpElastic(a: number, b: number, c: number, d: number, u0: number, u1: number, v0: number, v1: number): void;
  inkBox(): void;
  thicknessStep(from: number, to: number, v0: number, v1: number, dilate: number, fraction: number): number;
  fit(from: number, v0: number, v1: number, threshold: number): number;
}

/** The largest float at most `t` (> 0): a float exceeds `t` exactly when it exceeds this. */
function floatAtMost(t: number): number {
  const nearest = new Float32Array([t]);
  if (nearest[0] > t) new Int32Array(nearest.buffer)[0] -= 1;
  return nearest[0];
}

/** The refit's ink threshold, as the kernel compares floats with it. */
const THRESHOLD = floatAtMost(INK_THRESHOLD);

let compiled: WebAssembly.Module | null | undefined;

function compile(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(new Uint8Array(Buffer.from(AUGMENT_SIMD_BASE64, 'base64')));
    } catch {
      compiled = null; // no SIMD here: the JavaScript loops do the same work
    }
  }
  return compiled;
}

/** A workspace for one thread whose hot loops run in WebAssembly; the JavaScript one where that cannot be had. */
export function fastAugmentWorkspace(): AugmentWorkspace {
  const module = compile();
  if (!module) return augmentWorkspace();
  const wasm = new WebAssembly.Instance(module, {}).exports as unknown as AugmentExports;
  // The memory never grows (the module has no memory.grow), so these views stay valid.
  const buffer = wasm.memory.buffer;
  const floats = (offset: number, length: number) => new Float32Array(buffer, offset, length);
  new Int32Array(buffer, AT.cell, GRID_CELL.length).set(GRID_CELL);
  floats(AT.fraction, GRID_FRACTION.length).set(GRID_FRACTION);
  const box = new Int32Array(buffer, AT.box, 4);
  const source = floats(AT.source, PIXEL_COUNT);
  const canvasAt = (fromCanvas: boolean) => (fromCanvas ? AT.canvas : AT.spare);
  const kernels: AugmentKernels = {
    warpLinear: (a, b, c, d, u0, u1, v0, v1) => wasm.warpLinear(a, b, c, d, u0, u1, v0, v1),
    warpElastic: (a, b, c, d, u0, u1, v0, v1) => wasm.warpElastic(a, b, c, d, u0, u1, v0, v1),
    padAndFindInk: (pixels): InkBox | null => {
      source.set(pixels);
      wasm.inkBox();
      return box[2] < 0 ? null : [box[0], box[1], box[2], box[3]];
    },
    thicknessStep: (fromCanvas, v0, v1, dilate, fraction) =>
      wasm.thicknessStep(canvasAt(fromCanvas), canvasAt(!fromCanvas), v0, v1, dilate ? 1 : 0, fraction),
    fit: (fromCanvas, w: CanvasWindow) => wasm.fit(canvasAt(fromCanvas), w.v0, w.v1, THRESHOLD) === 1,
  };
  return {
    padded: floats(AT.padded, 30 * 30),
    canvas: floats(AT.canvas, 32 * 32),
    spare: floats(AT.spare, 32 * 32),
    line: floats(AT.line, 32 * 32),
    fieldLine: floats(AT.fieldLine, 10),
    field: floats(AT.field, 50),
    fitted: floats(AT.fitted, PIXEL_COUNT),
    kernels,
  };
}
