/**
 * What travels through Redis, and the zod schemas everything read back from it passes before
 * use: a trial's job (its full start request, the sweep and run it belongs to), the worker's
 * progress reports, its return value, and the two blobs it uploads beside the job: the latest
 * checkpoint (so another worker can resume the trial) and the finished run (run.json, model.json
 * and weights.bin; hundreds of kB, gzipped, checked by SHA-256). A blob that does not decode is a
 * 'model-corrupt' error naming what is wrong; it is never half-used.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { StartRequestSchema } from '../../common/api';
import type { BackendName } from '../../common/api';
import { StudioError } from '../../common/errors';
import { MAX_TRIALS, SweepRefSchema } from '../../common/sweep';
import { RunIdSchema, describeIssue } from '../store/store-schema';

const count = z.number().int().min(0);
/** JSON writes a NaN accuracy (a diverged validation) as null: read it back as NaN. */
const metric = z.union([z.number(), z.null().transform(() => Number.NaN)]);
const workerName = z.string().min(1).max(200);
const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];
/** Most a blob may grow to when unzipped: far above any run of this app (a 1024-unit, 4-layer model is ~100 MB of weights). */
const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

/** A trial as a BullMQ job's data. */
export const TrialJobSchema = z
  .object({
    format: z.literal(1),
    sweepId: SweepRefSchema.shape.sweepId,
    namespace: z.string().min(1).max(200),
    trial: count.max(MAX_TRIALS - 1),
    /** The run id the owner gave the trial: the worker trains, checkpoints and reports under it. */
    runId: RunIdSchema,
    /** `trial 3/12 of “Units”: units=64 seed=2`, for the worker's terminal. */
    label: z.string().max(500),
    request: StartRequestSchema,
  })
  .strict();
export type TrialJob = z.infer<typeof TrialJobSchema>;

const PointSchema = z.object({ iteration: count, accuracy: metric }).strict();

/** What a worker reports through `job.updateProgress` while it has the trial. */
export const TrialReportSchema = z.discriminatedUnion('type', [
  /** Taken: which worker, which attempt (1 the first time, 2 after a worker died with it, …). */
  z.object({ type: z.literal('claimed'), worker: workerName, attempt: z.number().int().min(1) }).strict(),
  z
    .object({
      type: z.literal('started'),
      worker: workerName,
      backend: z.enum(BACKENDS),
      totalIterations: z.number().int().min(1),
      /** The checkpoint's iteration when it resumed from one; null when it started from scratch. */
      resumedFrom: count.nullable(),
      /** On a resume, the validation points so far. */
      validation: z.array(PointSchema).max(100_000),
    })
    .strict(),
  z
    .object({
      type: z.literal('progress'),
      worker: workerName,
      iteration: count,
      totalIterations: z.number().int().min(1),
      samplesPerSec: z.number().min(0),
      elapsedMs: z.number().min(0),
      etaMs: z.number().min(0),
      /** Present on a report that ran a validation pass: the owner judges rungs on it. */
      validation: PointSchema.nullable(),
    })
    .strict(),
  z.object({ type: z.literal('checkpoint'), worker: workerName, iteration: z.number().int().min(1) }).strict(),
]);
export type TrialReport = z.infer<typeof TrialReportSchema>;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
/**
 * Base64 of any length. One character class, not zod's repeated group, which overflows the regex
 * engine's stack on a few megabytes.
 */
const base64Text = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64')
  .refine((text) => text.length % 4 === 0, 'expected base64 in whole groups of 4 characters');

/** A worker's return value: small; the run itself waits under the result key. */
export const TrialReturnSchema = z.discriminatedUnion('outcome', [
  z
    .object({
      format: z.literal(1),
      outcome: z.literal('trained'),
      worker: workerName,
      runId: RunIdSchema,
      stopped: z.boolean(),
      /** SHA-256 of the gzipped result blob, hex. */
      sha256: Sha256Schema,
      bytes: z.number().int().min(1),
    })
    .strict(),
  /** The owner had stopped it before any training: nothing to import. */
  z.object({ format: z.literal(1), outcome: z.literal('skipped'), worker: workerName }).strict(),
]);
export type TrialReturn = z.infer<typeof TrialReturnSchema>;

/** A finished run as bytes: run.json's record and model.json as parsed JSON, weights.bin as bytes. */
export interface RunFilesPayload {
  record: unknown;
  modelJson: unknown;
  weights: Uint8Array;
}

const ResultBlobSchema = z.object({ format: z.literal(1), record: z.unknown(), modelJson: z.unknown(), weights: base64Text }).strict();

/** The result blob: gzipped JSON, weights in base64. */
export function encodeResult(files: RunFilesPayload): Buffer {
  const json = JSON.stringify({
    format: 1,
    record: files.record,
    modelJson: files.modelJson,
    weights: Buffer.from(files.weights).toString('base64'),
  });
  return gzipSync(json);
}

/** Decodes a result blob whose SHA-256 must be `sha256`; 'model-corrupt' naming the problem. */
export function decodeResult(blob: Buffer, sha256: string): RunFilesPayload {
  if (sha256Of(blob) !== sha256) throw corrupt('its bytes do not match the checksum the worker sent (damaged in transit or in Redis)');
  const value = unzipJson(blob, ResultBlobSchema);
  return { record: value.record, modelJson: value.modelJson, weights: new Uint8Array(Buffer.from(value.weights, 'base64')) };
}

/** A checkpoint folder's files, by name (state.json, model.json, weights.bin, optimizer.bin). */
export interface CheckpointPayload {
  runId: string;
  iteration: number;
  files: Record<string, Uint8Array>;
}

const CHECKPOINT_FILE = z.enum(['state.json', 'model.json', 'weights.bin', 'optimizer.bin']);
const CheckpointBlobSchema = z
  .object({
    format: z.literal(1),
    runId: RunIdSchema,
    iteration: z.number().int().min(1),
    files: z.partialRecord(CHECKPOINT_FILE, base64Text),
  })
  .strict();

export function encodeCheckpoint(checkpoint: CheckpointPayload): Buffer {
  const files = Object.fromEntries(Object.entries(checkpoint.files).map(([name, data]) => [name, Buffer.from(data).toString('base64')]));
  return gzipSync(JSON.stringify({ format: 1, runId: checkpoint.runId, iteration: checkpoint.iteration, files }));
}

/** A checkpoint blob, or 'model-corrupt' naming the problem (the worker then trains from scratch). */
export function decodeCheckpoint(blob: Buffer): CheckpointPayload {
  const value = unzipJson(blob, CheckpointBlobSchema);
  const files = Object.fromEntries(Object.entries(value.files).map(([name, text]) => [name, new Uint8Array(Buffer.from(text, 'base64'))]));
  return { runId: value.runId, iteration: value.iteration, files };
}

/** Hex SHA-256 of `data`. */
export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function unzipJson<S extends z.ZodType>(blob: Buffer, schema: S): z.output<S> {
  let text: string;
  try {
    text = gunzipSync(blob, { maxOutputLength: MAX_UNZIPPED_BYTES }).toString('utf8');
  } catch (err) {
    throw corrupt(`not gzip data (${(err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt('not valid JSON inside');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw corrupt(describeIssue(parsed.error.issues[0]));
  return parsed.data;
}

function corrupt(why: string): StudioError {
  return new StudioError('model-corrupt', `the uploaded blob is unusable: ${why}`);
}
