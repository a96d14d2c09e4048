/**
 * The trainer worker's entry point: picks the backend, loads the dataset, and turns each
 * WorkerCommand into engine or predictor calls. Main talks to it only through protocol.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendName, TrainEvent } from '../../common/api';
import { toWireError } from '../../common/errors';
import { chooseBackend } from './backend';
import type { MnistDataset } from './data/dataset';
import { loadDataset } from './data/dataset';
import type { EngineContext } from './engine';
import { DivergedError, trainRun } from './engine';
import { restoreCheckpoint } from './checkpoint';
import { Predictor } from './predictor';
import type { ReplyValue, WorkerCommand, WorkerConfig, WorkerMessage, WorkerRequest } from './protocol';
import { RunStore } from '../store/store';
import type { TrainJob } from '../store/train-job';

if (!parentPort) throw new Error('worker.ts must run as a worker thread');
const port = parentPort;
const config = workerData as WorkerConfig;
const store = new RunStore(config.runsDir);
const predictor = new Predictor(store);
let dataset: Promise<MnistDataset> | null = null;
let activeRunId: string | null = null;
let isStopRequested = false;

const post = (message: WorkerMessage) => port.postMessage(message);
const emit = (event: TrainEvent) => post({ type: 'event', event });
/** To the host's log file: this thread's stderr is a terminal the person never sees. */
const log = (level: 'warn' | 'error', message: string) => post({ type: 'log', level, message });

/** An unexpected error's stack goes to the log; the run's event or the reply carries only its message. */
function logIfUnexpected(what: string, err: unknown): void {
  if (toWireError(err).code === 'internal') log('error', `${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}

/** Loaded once; a failed load is retried on the next request rather than cached. */
function getDataset(): Promise<MnistDataset> {
  const onWarning = (message: string) => log('warn', `[dataset] ${message}`);
  dataset ??= loadDataset({ dataDir: config.dataDir, mnistDir: config.mnistDir, onWarning }).catch((err: unknown) => {
    dataset = null;
    throw err;
  });
  return dataset;
}

function versions(): Record<string, string> {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return { app: pkg.version, tfjs: tf.version.tfjs, node: process.versions.node };
}

/** Runs one training job at a time; anything it throws becomes the run's `error` event. */
async function exclusive(runId: string, job: (data: MnistDataset) => Promise<void>): Promise<void> {
  if (activeRunId) {
    emit({ type: 'error', runId, code: 'busy', message: `A training run (${activeRunId}) is already in progress.` });
    return;
  }
  activeRunId = runId;
  isStopRequested = false;
  try {
    await job(await getDataset());
  } catch (err) {
    logIfUnexpected(`Run ${runId} failed`, err);
    emit({ type: 'error', runId, ...toWireError(err), ...(err instanceof DivergedError ? { history: err.history } : {}) });
  } finally {
    activeRunId = null;
  }
}

function engineContext(data: MnistDataset, backend: BackendName): EngineContext {
  return {
    dataset: data,
    store,
    backend,
    versions: versions(),
    emit,
    isStopRequested: () => isStopRequested,
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
  };
}

function startRun(runId: string, request: TrainJob, backend: BackendName): Promise<void> {
  return exclusive(runId, (data) => trainRun(runId, request, engineContext(data, backend)));
}

function resumeRun(runId: string, backend: BackendName): Promise<void> {
  return exclusive(runId, async (data) => {
    const restored = await restoreCheckpoint(store, runId);
    await trainRun(runId, restored.state.request, engineContext(data, backend), restored);
  });
}

async function answer(request: WorkerRequest): Promise<ReplyValue> {
  switch (request.type) {
    case 'predict':
      return predictor.predict(request.request.runId, request.request.pixels);
    case 'inspect':
      return predictor.inspect(request.request.runId, request.request.pixels, request.request.layer);
    case 'evaluate':
      return predictor.evaluate(request.request.runId, (await getDataset()).test, request.request.testLimit);
    case 'dataset':
      return (await getDataset()).status;
    case 'classify':
      return predictor.classify(request.request.runId, request.request.pixels);
  }
}

async function main(): Promise<void> {
  const choice = await chooseBackend(config.backends);
  post({ type: 'ready', backend: choice.backend, backendNote: choice.note, versions: versions() });
  port.on('message', (command: WorkerCommand) => {
    if (command.type === 'start') void startRun(command.runId, command.request, choice.backend);
    else if (command.type === 'resume') void resumeRun(command.runId, choice.backend);
    else if (command.type === 'stop') isStopRequested = activeRunId !== null;
    else {
      answer(command).then(
        (value) => post({ type: 'reply', id: command.id, ok: true, value }),
        (err: unknown) => {
          logIfUnexpected(`${command.type} failed`, err);
          post({ type: 'reply', id: command.id, ok: false, error: toWireError(err) });
        },
      );
    }
  });
  // Warm the dataset so the first run starts at once; errors surface on first real use.
  if (config.role !== 'predictor') getDataset().catch(() => undefined);
}

void main();
