/**
 * The trainer worker's entry point: picks the backend, loads the dataset, and turns each
 * WorkerCommand into engine or predictor calls. Main talks to it only through protocol.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainEvent } from '../../preload/api';
import { toWireError } from '../errors';
import { chooseBackend } from './backend';
import type { MnistDataset } from './dataset';
import { loadDataset } from './dataset';
import { trainRun } from './engine';
import { Predictor } from './predictor';
import type { ReplyValue, WorkerCommand, WorkerConfig, WorkerMessage, WorkerRequest } from './protocol';
import { RunStore } from './store';

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

/** Loaded once; a failed load is retried on the next request rather than cached. */
function getDataset(): Promise<MnistDataset> {
  const onWarning = (message: string) => console.warn(`[dataset] ${message}`);
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

async function startRun(runId: string, request: Extract<WorkerCommand, { type: 'start' }>['request'], backend: ReturnType<typeof tf.getBackend>): Promise<void> {
  if (activeRunId) {
    emit({ type: 'error', runId, code: 'busy', message: `A training run (${activeRunId}) is already in progress.` });
    return;
  }
  activeRunId = runId;
  isStopRequested = false;
  try {
    const data = await getDataset();
    await trainRun(runId, request, {
      dataset: data, store, backend: backend as 'wasm', versions: versions(), emit,
      isStopRequested: () => isStopRequested,
      yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    });
  } catch (err) {
    emit({ type: 'error', runId, ...toWireError(err) });
  } finally {
    activeRunId = null;
  }
}

async function answer(request: WorkerRequest): Promise<ReplyValue> {
  switch (request.type) {
    case 'predict':
      return predictor.predict(request.request.runId, request.request.pixels);
    case 'evaluate':
      return predictor.evaluate(request.request.runId, (await getDataset()).test, request.request.testLimit);
    case 'dataset':
      return (await getDataset()).status;
  }
}

async function main(): Promise<void> {
  const choice = await chooseBackend(config.backends);
  post({ type: 'ready', backend: choice.backend, backendNote: choice.note, versions: versions() });
  port.on('message', (command: WorkerCommand) => {
    if (command.type === 'start') void startRun(command.runId, command.request, choice.backend);
    else if (command.type === 'stop') isStopRequested = activeRunId !== null;
    else {
      answer(command).then(
        (value) => post({ type: 'reply', id: command.id, ok: true, value }),
        (err: unknown) => post({ type: 'reply', id: command.id, ok: false, error: toWireError(err) }),
      );
    }
  });
  // Warm the dataset so the first run starts at once; errors surface on first real use.
  getDataset().catch(() => undefined);
}

void main();
