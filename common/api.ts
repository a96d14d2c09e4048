/**
 * THE contract between renderer, preload, main, the CLI and the trainer worker: method names,
 * payload schemas, event types and error codes. It imports only zod so that Node, the worker
 * and the browser can all load it. Channel strings are written here and nowhere else.
 */
import { z } from 'zod';

// Error codes and the wire's shape of an error live in channels.ts (zod-free, for the preload).
import type { ErrorCode, WireError } from './channels';
import { HyperparamsSchema, int, TestLimitSchema, TrainLimitSchema } from './hyperparams';
import type { Hyperparams } from './hyperparams';
import type { MenuCommandEvent } from './menu-commands';
import { PIXEL_COUNT } from './mnist';
import { SweepPlanSchema, SweepRefSchema, SweepTagSchema } from './sweep';
import { MixRatioSchema, MyDigitRefSchema, saveMyDigitSchema, UpdateMyDigitRequestSchema } from './my-digits';
import type {
  FineTuneReport,
  MyDigitRef,
  MyDigitsImport,
  MyDigitsListing,
  MyDigitsScore,
  RunParent,
  UpdateMyDigitRequest,
} from './my-digits';
import type { SweepEvent, SweepListing, SweepPlanInput, SweepPreview, SweepRef, SweepState, SweepTag } from './sweep';
export { ERROR_CODES } from './channels';
export type { ErrorCode, WireError } from './channels';

// ---------------------------------------------------------------- hyperparameters (hyperparams.ts)

export * from './hyperparams';

// ---------------------------------------------------------------- requests

const RunIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a run id is letters, digits, "_", "." and "-"')
  .refine((s) => !s.includes('..'), 'a run id may not contain ".."');

export const StartRequestSchema = z
  .object({
    hyperparams: HyperparamsSchema,
    /** A name the person gave the run; shown in the runs list. */
    name: z.string().max(200).optional(),
    /** Use only the first N training images (tests and quick checks). */
    trainLimit: TrainLimitSchema.optional(),
    /** Evaluate on the first N test images only (tests); the UI always uses all 10,000. */
    testLimit: TestLimitSchema.optional(),
    /** Save a resumable checkpoint every N iterations; 0 = never. */
    checkpointInterval: int(0, 1_000_000).optional(),
    /** Set by a sweep on each of its trials; the saved run keeps it. */
    sweep: SweepTagSchema.optional(),
  })
  .strict();
export type StartRequest = z.infer<typeof StartRequestSchema>;
export type StartRequestInput = z.input<typeof StartRequestSchema>;

export const RunRefSchema = z.object({ runId: RunIdSchema }).strict();
export type RunRef = z.infer<typeof RunRefSchema>;

export { PIXEL_COUNT } from './mnist';
export const PredictRequestSchema = z
  .object({
    runId: RunIdSchema,
    /** 28×28 pixels, row-major, white ink on black, each 0–1. */
    pixels: z.array(z.number().min(0).max(1)).length(PIXEL_COUNT),
  })
  .strict();
export type PredictRequest = z.infer<typeof PredictRequestSchema>;

/** At most this many stacked recurrent layers (the form's limit). */
const MAX_LAYER_INDEX = 3;
export const InspectRequestSchema = PredictRequestSchema.extend({
  /** Which recurrent layer to look inside, 0-based; the top one when left out. */
  layer: z.number().int().min(0).max(MAX_LAYER_INDEX).optional(),
}).strict();
export type InspectRequest = z.infer<typeof InspectRequestSchema>;

/** Most text a front end may save through saveTextFile (a 500-trial sweep's CSV is ~150 kB). */
export const MAX_SAVED_TEXT = 8_000_000;
export const SaveTextRequestSchema = z
  .object({
    /** The name the save dialog suggests; only a suggestion, the person picks the place. */
    fileName: z.string().min(1).max(120),
    text: z.string().max(MAX_SAVED_TEXT),
  })
  .strict();
export type SaveTextRequest = z.infer<typeof SaveTextRequestSchema>;

/** Most base64 a front end may save through saveImageFile (~6 MB of PNG; a chart at 2× is ~150 kB). */
export const MAX_SAVED_IMAGE_BASE64 = 8_000_000;
/**
 * A PNG in base64: its 8-byte signature and the zero that starts every IHDR length come first
 * (so anything but a PNG is refused before it reaches the disk). One character class, not a
 * repeated group: a group repeated over megabytes overflows the regex engine's stack.
 */
const PNG_BASE64 = /^iVBORw0KGgoA[A-Za-z0-9+/]*={0,2}$/;
export const SaveImageRequestSchema = z
  .object({
    /** The name the save dialog suggests, as for saveTextFile. */
    fileName: z.string().min(1).max(120),
    /** The PNG's bytes, base64-encoded (IPC and JSON carry text). */
    png: z
      .string()
      .max(MAX_SAVED_IMAGE_BASE64)
      .regex(PNG_BASE64, 'Expected a PNG image in base64')
      .refine((text) => text.length % 4 === 0, 'Expected base64 in whole groups of 4 characters'),
  })
  .strict();
export type SaveImageRequest = z.infer<typeof SaveImageRequestSchema>;

// ---------------------------------------------------------------- my digits (my-digits.ts)

export * from './my-digits';

/** A digit the person drew and labelled, with its strokes. */
export const SaveMyDigitRequestSchema = saveMyDigitSchema(PredictRequestSchema.shape.pixels);
export type SaveMyDigitRequest = z.infer<typeof SaveMyDigitRequestSchema>;

/** An exported set's text, from the page (browser mode's upload); without it main's open dialog asks for the file. */
export const ImportMyDigitsRequestSchema = z.object({ text: SaveTextRequestSchema.shape.text.optional() }).strict();
export type ImportMyDigitsRequest = z.infer<typeof ImportMyDigitsRequestSchema>;

/** "Teach it my handwriting": a saved run trained on as a new run, with the fine-tune digits mixed into MNIST. */
export const FineTuneRequestSchema = z
  .object({
    /** The run to start from (the parent); it is left as it is. */
    runId: RunIdSchema,
    /** Iterations to train; default DEFAULT_FINE_TUNE_ITERATIONS. */
    iterations: int(1, 100_000).optional(),
    /** Default: the parent's. */
    learningRate: z.number().gt(0).max(10).optional(),
    /** Share of each batch drawn from the fine-tune digits; default DEFAULT_MIX_RATIO. */
    mixRatio: MixRatioSchema.optional(),
    /** Default: the parent's name and "+ my digits". */
    name: z.string().max(200).optional(),
  })
  .strict();
export type FineTuneRequest = z.infer<typeof FineTuneRequestSchema>;

// ---------------------------------------------------------------- results

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface MetricPoint {
  iteration: number;
  loss: number;
  accuracy: number;
}

export interface MetricsHistory {
  /** Batch loss/accuracy every DISPLAY_EVERY iterations. */
  train: MetricPoint[];
  /** Validation loss/accuracy at each validation interval and at the end. */
  validation: MetricPoint[];
}

export interface Misclassified {
  /** Index into the 10,000 test images. */
  index: number;
  label: number;
  predicted: number;
  /** Softmax output, 10 values. */
  probabilities: number[];
  /** 784 pixels, 0–255, so the renderer can draw the digit. */
  pixels: number[];
}

export interface TestResults {
  /** Number of test images scored (10,000 unless a test limited it). */
  count: number;
  accuracy: number;
  loss: number;
  /** Accuracy for digits 0–9. */
  perClassAccuracy: number[];
  /** confusion[label][predicted] counts. */
  confusion: number[][];
  /** Sorted by the wrong prediction's confidence, most confident first; at most 500. */
  misclassified: Misclassified[];
}

export interface ProgressEvent {
  type: 'progress';
  runId: string;
  iteration: number;
  totalIterations: number;
  epoch: number;
  /** Batch loss and accuracy at this iteration. */
  loss: number;
  accuracy: number;
  samplesPerSec: number;
  elapsedMs: number;
  etaMs: number;
  /** Present when this iteration ran a validation pass. */
  validation?: { loss: number; accuracy: number };
}

export interface RunStartedEvent {
  type: 'started';
  runId: string;
  totalIterations: number;
  backend: BackendName;
  hyperparams: Hyperparams;
  seed: number;
  /** Present when the run continues from a checkpoint: where it picks up, and its curves so far. */
  resumedFrom?: { iteration: number; history: MetricsHistory };
}

/**
 * A test result without the misclassified digits: what a run's `done` event carries. Their
 * pixels (up to 500 × 784 numbers) stay in run.json for the Test-set view; copying them over the
 * worker port and then IPC at every run's end stalled the main process for ~60 ms.
 */
export type TestSummary = Omit<TestResults, 'misclassified'>;

export interface RunFinishedEvent {
  type: 'done';
  runId: string;
  /** True when the person stopped the run early; the partial run is still saved. */
  stopped: boolean;
  iterations: number;
  elapsedMs: number;
  test: TestSummary;
}

export interface RunFailedEvent {
  type: 'error';
  runId: string | null;
  code: ErrorCode;
  message: string;
  /** A diverged run's curves up to the iteration that blew up, so nothing it showed is lost. */
  history?: MetricsHistory;
}

export interface WorkerRestartedEvent {
  type: 'worker-restarted';
  reason: string;
}

export type TrainEvent = ProgressEvent | RunStartedEvent | RunFinishedEvent | RunFailedEvent;
export type StudioEvent = TrainEvent | WorkerRestartedEvent | SweepEvent;
/**
 * What the window hears on EVENT_CHANNEL: the service's events and, in the desktop app, the
 * application menu's commands (menu-commands.ts), which main sends and the service never does.
 */
export type BridgeEvent = StudioEvent | MenuCommandEvent;

export interface RunSummary {
  runId: string;
  name: string;
  createdAt: string;
  hyperparams: Hyperparams;
  seed: number;
  backend: BackendName;
  iterations: number;
  stopped: boolean;
  testAccuracy: number | null;
  testCount: number | null;
  /** Wall time of the training, validation passes and test pass included. */
  elapsedMs: number;
  /** The sweep this run is a trial of; absent for a run trained on its own. */
  sweep?: SweepTag;
  /** The run this one was fine-tuned from on the person's digits; absent for a run trained from scratch. */
  parent?: RunParent;
}

export interface RunRecord extends RunSummary {
  formatVersion: 1;
  versions: Record<string, string>;
  history: MetricsHistory;
  test: TestResults | null;
}

export interface Prediction {
  /** 10 softmax probabilities for the whole image. */
  probabilities: number[];
  /** 28 × 10: the prediction after reading rows 1..28. */
  perRow: number[][];
}

/** A gate's or a state's name: the LSTM's input, forget and output gates, the GRU's update and reset gates, c and h. */
export type InsideSeriesId = 'input' | 'forget' | 'output' | 'update' | 'reset' | 'cell' | 'hidden';

/** One gate or state of one layer, after each row. */
export interface InsideSeries {
  id: InsideSeriesId;
  /** [28 × units], row-major: after row t, unit k is values[t · units + k]. */
  values: number[];
  /** The smallest and largest value in `values`. */
  min: number;
  max: number;
}

/** Inside the network for one image (`inspect`). */
export interface Inspection {
  cell: Hyperparams['cell'];
  /** The layer looked inside, 0-based, of `layers`. */
  layer: number;
  layers: number;
  units: number;
  /** The LSTM: input, forget, output, cell, hidden; the GRU: update, reset, hidden; SimpleRNN: hidden. */
  series: InsideSeries[];
  /** Unit indices in display order: by the row at which the unit's hidden state changes most, earliest first. */
  order: number[];
  /** The same answer `predict` gives. */
  prediction: Prediction;
  predicted: number;
  /** Per row: the predicted digit's probability minus the same with that row blanked (occlusion); negative: the row argued against it. */
  rowInfluence: number[];
  /** Per pixel (784): gradient × input of the predicted digit's logit; positive pixels argue for it. */
  saliency: number[];
  /** The image has no ink: every value is defined, and says nothing about a digit. */
  empty: boolean;
  /** How long the worker took, ms. */
  ms: number;
}

export interface DatasetStatus {
  source: string;
  isCached: boolean;
  cachePath: string;
  trainCount: number;
  validationCount: number;
  testCount: number;
  loadMs: number | null;
}

/** A run that was interrupted (app closed, crash) after a checkpoint and can be continued. */
export interface ResumableRun {
  runId: string;
  name: string;
  hyperparams: Hyperparams;
  /** Iterations completed when the checkpoint was taken. */
  iteration: number;
  totalIterations: number;
  savedAt: string;
}

/** The run in progress as the service has seen it, for a window that opens (or reloads) mid-run. */
export interface LiveRun {
  started: RunStartedEvent;
  /** The latest progress; null before the first. */
  progress: ProgressEvent | null;
  /** Its curves so far, with the points a saved run's history keeps. */
  history: MetricsHistory;
}

export interface StudioStatus {
  backend: BackendName | null;
  /** Why a faster backend is not in use, if one is not. */
  backendNote: string | null;
  isTraining: boolean;
  runId: string | null;
  /** The run in progress; null when none is (or it has not started yet). */
  live: LiveRun | null;
  /** The sweep in progress (its latest event); null when none runs. */
  sweep: SweepEvent | null;
}

// ---------------------------------------------------------------- renderer errors

/** Limits on a renderer error report: a real message and stack fit (the renderer cuts longer ones), a flood does not. */
export const RENDERER_ERROR_LIMITS = { message: 2_000, stack: 16_000, source: 500 } as const;
export const RendererErrorSchema = z
  .object({
    /** Which handler caught it: the window's `error` event or `unhandledrejection`. */
    kind: z.enum(['error', 'rejection']),
    message: z.string().max(RENDERER_ERROR_LIMITS.message),
    stack: z.string().max(RENDERER_ERROR_LIMITS.stack).optional(),
    /** Where it was thrown (file:line:column), when the page knows. */
    source: z.string().max(RENDERER_ERROR_LIMITS.source).optional(),
  })
  .strict();
export type RendererError = z.infer<typeof RendererErrorSchema>;

// ---------------------------------------------------------------- the API

/** What `window.lstm` offers, and what the service implements. */
export interface StudioApi {
  getStatus(): Promise<StudioStatus>;
  getDefaults(): Promise<Hyperparams>;
  startTraining(request: StartRequestInput): Promise<{ runId: string }>;
  /** Continues an interrupted run from its last checkpoint, with the same optimizer state. */
  resumeTraining(request: RunRef): Promise<{ runId: string }>;
  listResumable(): Promise<ResumableRun[]>;
  stopTraining(): Promise<void>;
  predict(request: PredictRequest): Promise<Prediction>;
  /** Inside the network for one image: gates and states per row, saliency, each row's influence. */
  inspect(request: InspectRequest): Promise<Inspection>;
  evaluate(request: RunRef): Promise<TestResults>;
  listRuns(): Promise<RunSummary[]>;
  loadRun(request: RunRef): Promise<RunRecord>;
  deleteRun(request: RunRef): Promise<void>;
  /**
   * Copies a saved run into a folder the person picks in main's native dialog (the renderer
   * never names a path); the copy's path, or null when they cancel.
   */
  exportRun(request: RunRef): Promise<{ path: string } | null>;
  datasetStatus(): Promise<DatasetStatus>;
  /**
   * Saves text the renderer made (a results table as CSV) where the person picks in main's native
   * save dialog; the path, or null when they cancel. Browser mode downloads it instead.
   */
  saveTextFile(request: SaveTextRequest): Promise<{ path: string } | null>;
  /** Saves a PNG the renderer drew (a chart) the same way; the path, or null when they cancel. Browser mode downloads it. */
  saveImageFile(request: SaveImageRequest): Promise<{ path: string } | null>;
  /** A plan's trial count, its first trials, its rungs and roughly how long it takes; refuses a plan that cannot run. */
  previewSweep(request: SweepPlanInput): Promise<SweepPreview>;
  /** Starts a sweep: its trials train one after another, each saved as a run tagged with the sweep. */
  startSweep(request: SweepPlanInput): Promise<{ sweepId: string }>;
  /** Continues an interrupted or stopped sweep with its next unfinished trial (an interrupted trial from its checkpoint). */
  resumeSweep(request: SweepRef): Promise<{ sweepId: string }>;
  /** Stops the sweep in progress: the current trial stops within a batch and is saved; finished trials stay. */
  stopSweep(): Promise<void>;
  /** Every saved sweep, newest first, and the sweep files that could not be read. */
  listSweeps(): Promise<SweepListing>;
  loadSweep(request: SweepRef): Promise<SweepState>;
  deleteSweep(request: SweepRef): Promise<void>;
  /** Writes an error the page did not handle to main's log file; resolves once logged (or counted, past the rate limit). */
  reportRendererError(request: RendererError): Promise<void>;
  /** The personal set ("my digits"), oldest first; a damaged file is reported in `problem`, never thrown. */
  listMyDigits(): Promise<MyDigitsListing>;
  /** Adds a digit to the set, in the part the split rule gives it; the set as it now is. */
  saveMyDigit(request: SaveMyDigitRequest): Promise<MyDigitsListing>;
  deleteMyDigit(request: MyDigitRef): Promise<MyDigitsListing>;
  /** Corrects a digit's label or moves it to the other part. */
  updateMyDigit(request: UpdateMyDigitRequest): Promise<MyDigitsListing>;
  /** Saves the whole set as one file where main's save dialog says (browser mode: a download); null when cancelled. */
  exportMyDigits(): Promise<{ path: string } | null>;
  /** Adds the digits of an exported set (from main's open dialog, or the page's upload); null when cancelled. */
  importMyDigits(request: ImportMyDigitsRequest): Promise<MyDigitsImport | null>;
  /** A run's accuracy on the score part, overall and per digit (on the predictor worker; cached per set revision and run). */
  scoreMyDigits(request: RunRef): Promise<MyDigitsScore>;
  /** Fine-tunes a saved run on MNIST mixed with the fine-tune digits, as a new run; events report it like any run. */
  fineTune(request: FineTuneRequest): Promise<{ runId: string }>;
  /** A fine-tuned run against its parent: the score digits and the MNIST test set, before and after. */
  fineTuneReport(request: RunRef): Promise<FineTuneReport>;
}

export type StudioMethod = keyof StudioApi;

/** Payload schema for each method's one argument; `null` means it takes none. */
export const REQUEST_SCHEMAS = {
  getStatus: null,
  getDefaults: null,
  startTraining: StartRequestSchema,
  resumeTraining: RunRefSchema,
  listResumable: null,
  stopTraining: null,
  predict: PredictRequestSchema,
  inspect: InspectRequestSchema,
  evaluate: RunRefSchema,
  listRuns: null,
  loadRun: RunRefSchema,
  deleteRun: RunRefSchema,
  exportRun: RunRefSchema,
  datasetStatus: null,
  saveTextFile: SaveTextRequestSchema,
  saveImageFile: SaveImageRequestSchema,
  previewSweep: SweepPlanSchema,
  startSweep: SweepPlanSchema,
  resumeSweep: SweepRefSchema,
  stopSweep: null,
  listSweeps: null,
  loadSweep: SweepRefSchema,
  deleteSweep: SweepRefSchema,
  reportRendererError: RendererErrorSchema,
  listMyDigits: null,
  saveMyDigit: SaveMyDigitRequestSchema,
  deleteMyDigit: MyDigitRefSchema,
  updateMyDigit: UpdateMyDigitRequestSchema,
  exportMyDigits: null,
  importMyDigits: ImportMyDigitsRequestSchema,
  scoreMyDigits: RunRefSchema,
  fineTune: FineTuneRequestSchema,
  fineTuneReport: RunRefSchema,
} as const satisfies Record<StudioMethod, z.ZodType | null>;

export const STUDIO_METHODS = Object.keys(REQUEST_SCHEMAS) as StudioMethod[];

export { EVENT_CHANNEL, bridgeErrorMessage, channelFor, parseBridgeErrorMessage } from './channels';

/** What an IPC handler returns: ipcMain.handle would drop the error's code. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** The renderer-side surface: the API plus event subscription. */
export interface LstmBridge extends StudioApi {
  /** Subscribe to every StudioEvent and menu command; returns the unsubscribe function. */
  onEvent(callback: (event: BridgeEvent) => void): () => void;
}
