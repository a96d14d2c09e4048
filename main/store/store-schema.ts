/**
 * What the model store accepts from disk: run.json's schema (mirroring RunRecord in api.ts,
 * compile-time checked to stay identical), model.json's schema, the weights-size check, and zod
 * issues turned into sentences a person can act on. No TensorFlow and no file access here.
 */
import { z } from 'zod';
import type { BackendName, RunRecord } from '../../common/api';
import { HyperparamsSchema, PIXEL_COUNT, RunRefSchema } from '../../common/api';
import { SweepTagSchema } from '../../common/sweep';
import { StudioError } from '../../common/errors';
import { RunParentSchema } from './train-job';

/** api.ts's run id rule: letters, digits, "_", "." and "-", no "..", so always a plain folder name. */
export const RunIdSchema = RunRefSchema.shape.runId;

const count = z.number().int().min(0);
const fraction = z.number().min(0).max(1);
const digit = z.number().int().min(0).max(9);
const tenNumbers = z.array(z.number()).length(10);
/** JSON writes NaN and ±Infinity (a diverged loss) as null: read null back as NaN. */
const metric = z.union([z.number(), z.null().transform(() => Number.NaN)]);
const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

const MetricPointSchema = z.object({ iteration: count, loss: metric, accuracy: metric });

/** Training and validation curves, as run.json and checkpoints store them. */
export const MetricsHistorySchema = z.object({ train: z.array(MetricPointSchema), validation: z.array(MetricPointSchema) });

const MisclassifiedSchema = z.object({
  index: count,
  label: digit,
  predicted: digit,
  probabilities: tenNumbers,
  pixels: z.array(z.number().int().min(0).max(255)).length(PIXEL_COUNT),
});

const TestResultsSchema = z.object({
  count,
  accuracy: fraction,
  loss: metric,
  perClassAccuracy: z.array(fraction).length(10),
  confusion: z.array(z.array(count).length(10)).length(10),
  misclassified: z.array(MisclassifiedSchema),
});

/** run.json, format version 1. Hyperparams use api.ts's own schema, defaults included. */
export const RunRecordSchema = z.object({
  formatVersion: z.literal(1),
  runId: RunIdSchema,
  name: z.string(),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected a date'),
  hyperparams: HyperparamsSchema,
  seed: count,
  backend: z.enum(BACKENDS),
  iterations: count,
  stopped: z.boolean(),
  testAccuracy: fraction.nullable(),
  testCount: count.nullable(),
  versions: z.record(z.string(), z.string()),
  elapsedMs: z.number().min(0),
  history: MetricsHistorySchema,
  test: TestResultsSchema.nullable(),
  sweep: SweepTagSchema.optional(),
  /** Fine-tuned runs only (issue 17): older records have no such field. */
  parent: RunParentSchema.optional(),
});

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile the moment RunRecordSchema and api.ts's RunRecord drift apart. */
export type RunRecordSchemaInSync = Equals<z.output<typeof RunRecordSchema>, RunRecord> extends true ? true : never;
export const RUN_RECORD_SCHEMA_IN_SYNC: RunRecordSchemaInSync = true;

/** Bytes per element: a quantized weight is stored as its quantized type. */
const ELEMENT_BYTES = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 } as const;

const WeightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(count),
  dtype: z.enum(['float32', 'int32', 'bool', 'complex64']),
  group: z.enum(['model', 'optimizer']).optional(),
  quantization: z
    .object({ dtype: z.enum(['uint8', 'uint16', 'float16']), scale: z.number().optional(), min: z.number().optional() })
    .optional(),
});

/** model.json as TF.js writes it, with every weight in the one file weights.bin. */
export const ModelJsonSchema = z.object({
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.enum(['./weights.bin', 'weights.bin'])).length(1), weights: z.array(WeightSpecSchema) }))
    .min(1),
});
/** A validated model.json. */
export type ModelJson = z.output<typeof ModelJsonSchema>;

/** Validates run.json's parsed content; 'model-corrupt' naming `label` and the first problem. */
export function parseRunRecord(value: unknown, label: string): RunRecord {
  return parseOrThrow(RunRecordSchema, value, label);
}

/** Validates model.json's parsed content; 'model-corrupt' naming `label` and the first problem. */
export function parseModelJson(value: unknown, label: string): ModelJson {
  return parseOrThrow(ModelJsonSchema, value, label);
}

/** Size weights.bin must have: Σ over the manifest of (product of shape) × bytes per element. */
export function expectedWeightBytes(modelJson: ModelJson): number {
  let total = 0;
  for (const spec of modelJson.weightsManifest.flatMap((group) => group.weights)) {
    const elements = spec.shape.reduce((product, size) => product * size, 1);
    total += elements * ELEMENT_BYTES[spec.quantization?.dtype ?? spec.dtype];
  }
  return total;
}

/** Throws 'model-corrupt' naming `label` when `byteLength` is not what the manifest declares. */
export function checkWeightBytes(modelJson: ModelJson, byteLength: number, label: string): void {
  const expected = expectedWeightBytes(modelJson);
  if (byteLength !== expected) {
    const how = byteLength < expected ? 'truncated' : 'too long';
    const message = `${label}: ${how}, expected ${expected} bytes for the weights model.json lists, got ${byteLength}`;
    throw new StudioError('model-corrupt', message);
  }
}

/** Both halves of a model: model.json re-validated, weights of the size it declares. */
export function checkModelFiles(files: { modelJson: unknown; weights: Uint8Array }, label: string): void {
  const modelJson = parseModelJson(files.modelJson, `${label}/model.json`);
  checkWeightBytes(modelJson, files.weights.byteLength, `${label}/weights.bin`);
}

/** Validates `value`; 'model-corrupt' naming `label` (the file) and the first problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const [first, ...rest] = parsed.error.issues;
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  throw new StudioError('model-corrupt', `${label}: ${describeIssue(first)}${more}`);
}

/** "hyperparams.units: expected a whole number, got 12.5" */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
  return where ? `${where}: ${explainIssue(issue)}` : explainIssue(issue);
}

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function explainIssue(issue: z.core.$ZodIssue): string {
  const got = show(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `missing, expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`
        : `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${got}`;
    case 'too_small':
    case 'too_big':
      return explainBound(issue);
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${got}`;
    case 'unrecognized_keys':
      return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union': {
      // Our unions are "a value, or null standing for NaN": the first branch says what was meant.
      const inner = issue.errors[0]?.[0];
      return inner ? explainIssue(inner) : issue.message;
    }
    default:
      return `${issue.message.replace(/^Invalid input: /, '')}, got ${got}`;
  }
}

function explainBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const isSmall = issue.code === 'too_small';
  const limit = String(isSmall ? issue.minimum : issue.maximum);
  const strictly = issue.inclusive === false;
  const how = issue.exact ? 'exactly' : isSmall ? (strictly ? 'more than' : 'at least') : strictly ? 'less than' : 'at most';
  const unit = issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : '';
  return `expected ${how} ${limit}${unit}, got ${show(issue.input)}`;
}

/** A found value, short: quoted text, counted lists, numbers as they are. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
