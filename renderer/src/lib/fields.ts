/**
 * What the hyperparameter form shows for each field: label, unit, one-line explanation and
 * input constraints. Defaults come from the contract (DEFAULT_HYPERPARAMS), not from here.
 */
import { BUDGET_UNITS, CELL_TYPES, OPTIMIZERS, type Hyperparams } from '../../../common/api';

/** A field of the form: every hyperparameter plus the run's name. */
export type FieldName = keyof Hyperparams | 'name';

/** How a field is entered. */
export type FieldKind =
  | { type: 'number'; min: number; max: number; step: number | 'any' }
  | { type: 'select'; options: readonly { value: string; label: string }[] }
  | { type: 'text'; placeholder: string; maxLength: number };

/** Display metadata of one field. */
export interface FieldSpec {
  name: FieldName;
  label: string;
  unit: string;
  help: string;
  kind: FieldKind;
}

const CELL_LABELS: Record<(typeof CELL_TYPES)[number], string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'Simple RNN' };
const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' };

const num = (min: number, max: number, step: number | 'any' = 1): FieldKind => ({ type: 'number', min, max, step });

/**
 * The group of the augmentation fields: they change only the training images (validation and
 * test images never), which its title says, and the Train form shows examples below it.
 */
export const AUGMENTATION_GROUP = 'Augmentation (training images only)';

/** The fields in the order the form shows them, grouped by what they shape. */
export const FIELD_GROUPS: readonly { title: string; fields: readonly FieldSpec[] }[] = [
  {
    title: 'Model',
    fields: [
      {
        name: 'cell',
        label: 'Cell',
        unit: '',
        help: 'The recurrent cell that reads each image row by row (28 steps of 28 pixels).',
        kind: { type: 'select', options: CELL_TYPES.map((value) => ({ value, label: CELL_LABELS[value] })) },
      },
      {
        name: 'units',
        label: 'Units',
        unit: 'per layer',
        help: 'Size of the hidden state; more units learn more but train slower.',
        kind: num(1, 1024),
      },
      { name: 'layers', label: 'Layers', unit: 'stacked', help: 'Recurrent layers stacked on top of each other.', kind: num(1, 4) },
      {
        name: 'forgetBias',
        label: 'Forget-gate bias',
        unit: '',
        help: 'Initial bias of the LSTM forget gate; 1 helps it remember early rows.',
        kind: num(-10, 10, 'any'),
      },
      {
        name: 'dropout',
        label: 'Dropout',
        unit: '0–0.9',
        help: 'Share of the recurrent layer’s inputs dropped while training, against overfitting.',
        kind: num(0, 0.9, 'any'),
      },
    ],
  },
  {
    title: 'Optimisation',
    fields: [
      {
        name: 'optimizer',
        label: 'Optimizer',
        unit: '',
        help: 'How the weights follow the gradient.',
        kind: { type: 'select', options: OPTIMIZERS.map((value) => ({ value, label: OPTIMIZER_LABELS[value] })) },
      },
      {
        name: 'learningRate',
        label: 'Learning rate',
        unit: 'step size',
        help: 'Too large diverges, too small crawls; Adam likes about 0.001.',
        kind: num(0, 10, 'any'),
      },
      {
        name: 'batchSize',
        label: 'Batch size',
        unit: 'images',
        help: 'Images per iteration; larger is smoother and uses more memory.',
        kind: num(1, 4096),
      },
    ],
  },
  {
    title: AUGMENTATION_GROUP,
    fields: [
      {
        name: 'rotation',
        label: 'Rotation',
        unit: '± degrees, 0–45',
        help: 'Turns each training digit by a random angle up to this; 10–15 is typical, 0 = off.',
        kind: num(0, 45, 1),
      },
      {
        name: 'shear',
        label: 'Shear',
        unit: '± degrees, 0–45',
        help: 'Slants each training digit sideways by up to this, as handwriting leans; 10–20 is typical.',
        kind: num(0, 45, 1),
      },
      {
        name: 'aspect',
        label: 'Stretch',
        unit: '± fraction, 0–0.5',
        help: 'Widens or narrows each digit by up to this share, the height the other way; about 0.1–0.2.',
        kind: num(0, 0.5, 0.05),
      },
      {
        name: 'thickness',
        label: 'Stroke width',
        unit: '± pixels, 0–2',
        help: 'Thickens or thins the strokes by up to this many pixels; 0.5–1 is typical.',
        kind: num(0, 2, 0.25),
      },
      {
        name: 'elastic',
        label: 'Elastic warp',
        unit: 'pixels, 0–4',
        help: 'A smooth random warp (Simard et al., 2003) moving ink by up to this; 1–2 is typical.',
        kind: num(0, 4, 0.5),
      },
    ],
  },
  {
    title: 'Run',
    fields: [
      {
        name: 'budgetUnit',
        label: 'Train for',
        unit: '',
        help: 'Count the budget in iterations (batches) or epochs (passes over 55,000 images).',
        kind: { type: 'select', options: BUDGET_UNITS.map((value) => ({ value, label: value })) },
      },
      { name: 'budget', label: 'Budget', unit: 'iterations or epochs', help: 'How long to train.', kind: num(1, 1_000_000) },
      {
        name: 'validationInterval',
        label: 'Validate every',
        unit: 'iterations',
        help: 'Score the 5,000 validation images this often; 0 = only at the end.',
        kind: num(0, 1_000_000),
      },
      {
        name: 'seed',
        label: 'Random seed',
        unit: 'optional',
        help: 'Same seed, same run. Leave blank for a random one (the run records it).',
        kind: num(0, 2 ** 31 - 1),
      },
      {
        name: 'name',
        label: 'Run name',
        unit: 'optional',
        help: 'Shown in the runs list.',
        kind: { type: 'text', placeholder: 'e.g. LSTM 128, Adam', maxLength: 200 },
      },
    ],
  },
];

/** Human label of a hyperparameter value (cell and optimizer names spelled as people write them). */
export function valueLabel(name: FieldName, value: unknown): string {
  if (name === 'cell' && typeof value === 'string') return CELL_LABELS[value as keyof typeof CELL_LABELS] ?? value;
  if (name === 'optimizer' && typeof value === 'string') return OPTIMIZER_LABELS[value as keyof typeof OPTIMIZER_LABELS] ?? value;
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

/** Label of a field, for tables. */
export function fieldLabel(name: FieldName): string {
  for (const group of FIELD_GROUPS) for (const field of group.fields) if (field.name === name) return field.label;
  return name;
}
