/**
 * The wasm fast paths, as the rest of the engine may reach them: these named entry points and
 * nothing else (.dependency-cruiser.cjs enforces it). Everything behind them touches
 * tfjs-backend-wasm's internals (heap offsets, cwrap'd kernels, our SIMD modules and GEMM), so
 * a reader of the training loop never meets a heap offset, and a tfjs upgrade is checked here
 * and in its tests alone.
 */
export { patchWasmKernels } from './wasm-kernels';
export { gateScale, lstmInferenceWasm, lstmSequenceWasm } from './fused-lstm-wasm';
export { timeMajor } from './sequence-tensors';
export { gruInferenceWasm, gruSequenceWasm } from './gru-wasm';
export { rnnInferenceWasm, rnnSequenceWasm } from './simple-rnn-wasm';
export { hasSequenceKernels } from './sequence-kernels';
export { createFastPredict, createRowStepper, headSoftmax, predictWith } from './fast-predict';
export { CELL_MATHS } from './fast-cells';
export type { CellMaths, CellState } from './fast-cells';
export type { FastCell, FastPredict, RowStepper, StackWeights } from './fast-predict';
export { applyAdamCombined, canCombineAdam } from './adam-update';
export type { GradientPart } from './adam-update';
export { fmaPeakRate, matrixProductsInUse, productRate } from './matmul-info';
export type { ProductRate } from './matmul-info';
export { copyTensorInto, tensorFromCopy } from './tensor-copies';
export { fastAugmentWorkspace } from './augment-simd';
