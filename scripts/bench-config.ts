/**
 * `npm run bench -- --config …` and `--matrix`: any configuration the training form offers, and a
 * grid of them that spans the form's range, for measuring the engine off the classic path.
 * Pure: no I/O.
 */
import type { Hyperparams } from '../common/api';
import { DEFAULT_HYPERPARAMS, HyperparamsSchema } from '../common/api';
import { AUGMENTATION_FIELDS } from '../common/augment';

/** The keys `--config` takes, and the hyperparameter each one sets. */
const KEYS = {
  cell: 'cell',
  units: 'units',
  layers: 'layers',
  batch: 'batchSize',
  dropout: 'dropout',
  optimizer: 'optimizer',
  lr: 'learningRate',
  rotation: 'rotation',
  shear: 'shear',
  aspect: 'aspect',
  thickness: 'thickness',
  elastic: 'elastic',
} as const satisfies Record<string, keyof Hyperparams>;
type Key = keyof typeof KEYS;

const NUMERIC = new Set<keyof Hyperparams>([
  'units',
  'layers',
  'batchSize',
  'dropout',
  'learningRate',
  'rotation',
  'shear',
  'aspect',
  'thickness',
  'elastic',
]);

/**
 * `cell=gru,units=256,layers=2,batch=64,dropout=0.2` → the classic hyperparameters with those
 * changed, validated by the form's own schema. Throws an Error naming the bad key or value.
 */
export function parseConfig(text: string): Hyperparams {
  const changes: Record<string, string | number> = {};
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const [rawKey, rawValue, ...rest] = pair.split('=');
    const key = rawKey?.trim() as Key;
    if (!(key in KEYS) || rawValue === undefined || rest.length > 0) {
      throw new Error(`--config: "${pair}" is not key=value with a key among ${Object.keys(KEYS).join(', ')}`);
    }
    const field = KEYS[key];
    changes[field] = NUMERIC.has(field) ? Number(rawValue) : rawValue.trim();
  }
  const parsed = HyperparamsSchema.safeParse({ ...DEFAULT_HYPERPARAMS, ...changes, seed: 1 });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = Object.entries(KEYS).find(([, field]) => field === issue.path[0])?.[0] ?? String(issue.path[0]);
    throw new Error(`--config: ${name}: ${issue.message}`);
  }
  return parsed.data;
}

/** `gru 256 ×2, batch 64, dropout 0.2`: what differs from nothing, in the words of the form. */
export function configLabel(hp: Hyperparams): string {
  const parts = [`${hp.cell} ${hp.units}${hp.layers > 1 ? ` ×${hp.layers}` : ''}`, `batch ${hp.batchSize}`];
  if (hp.dropout > 0) parts.push(`dropout ${hp.dropout}`);
  if (hp.optimizer !== 'adam') parts.push(hp.optimizer);
  const augments = AUGMENTATION_FIELDS.filter((field) => hp[field] > 0).map((field) => `${field} ${hp[field]}`);
  if (augments.length > 0) parts.push(`augment ${augments.join(' ')}`);
  return parts.join(', ');
}

/**
 * The grid `--matrix` measures: each cell type, 1–4 layers, units from small to the form's
 * top end (with counts that are not a multiple of 8), batch sizes 16–1,024, dropout, every optimizer.
 */
export const MATRIX: readonly string[] = [
  '',
  'cell=gru',
  'cell=rnn',
  'cell=gru,units=100',
  'cell=rnn,units=100',
  'cell=gru,units=256',
  'cell=gru,layers=2',
  'cell=gru,batch=32',
  'layers=2',
  'layers=4,units=64',
  'units=32',
  'units=100',
  'units=256',
  'units=512',
  'units=512,layers=2',
  'batch=16',
  'batch=32',
  'batch=1024',
  'dropout=0.2',
  'optimizer=sgd,lr=0.1',
  'optimizer=rmsprop',
  'cell=gru,units=256,layers=2,batch=64,dropout=0.2',
  'cell=rnn,units=64,layers=2',
];
