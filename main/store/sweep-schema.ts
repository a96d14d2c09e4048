/**
 * What the sweep store accepts from disk: `sweeps/<id>.json`'s schema, mirroring SweepState in
 * common/sweep.ts (compile-time checked to stay identical). The plan is re-read with the plan's
 * own schema, so a hand-edited or damaged plan is refused exactly as a bad request would be.
 */
import { z } from 'zod';
import { HyperparamsSchema } from '../../common/api';
import { SWEEP_STATUSES, SWEEPABLE_FIELDS, SweepPlanSchema, SweepRefSchema, TRIAL_STATUSES } from '../../common/sweep';
import type { SweepState } from '../../common/sweep';
import { RunIdSchema } from './store-schema';

const count = z.number().int().min(0);
const fraction = z.number().min(0).max(1);

const SweepTrialSchema = z.object({
  index: count,
  configIndex: count,
  hyperparams: HyperparamsSchema,
  status: z.enum(TRIAL_STATUSES),
  runId: RunIdSchema.nullable(),
  rungScores: z.array(fraction.nullable()),
  iterations: count,
  totalIterations: count,
  bestValidation: fraction.nullable(),
  finalValidation: fraction.nullable(),
  testAccuracy: fraction.nullable(),
  wallMs: z.number().min(0),
  validation: z.array(z.object({ iteration: count, accuracy: fraction })),
  error: z.string().nullable(),
  queue: z
    .object({
      worker: z.string().max(200).nullable(),
      attempts: count,
      retryReason: z.string().nullable(),
      checkpoint: count.nullable(),
    })
    .optional(),
});

/** The redacted URL only: a file holding a password (`…:secret@…`) is refused rather than shown. */
const SweepQueueSchema = z.object({
  url: z.string().refine((url) => !/:[^:@/]+@/.test(url) || /:\*\*\*@/.test(url), 'expected the URL without its password'),
  queueName: z.string().min(1).max(200),
  namespace: z.string().min(1).max(200),
});

export const SweepStateSchema = z
  .object({
    formatVersion: z.literal(1),
    sweepId: SweepRefSchema.shape.sweepId,
    name: z.string(),
    createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected a date'),
    plan: SweepPlanSchema,
    varied: z.array(z.enum(SWEEPABLE_FIELDS)),
    rungs: z.array(fraction),
    status: z.enum(SWEEP_STATUSES),
    trials: z.array(SweepTrialSchema).min(1),
    queue: SweepQueueSchema.optional(),
  })
  .superRefine((state, ctx) => {
    state.trials.forEach((trial, i) => {
      if (trial.index !== i)
        ctx.addIssue({ code: 'custom', path: ['trials', i, 'index'], message: `expected ${i}, the trial's place in the list` });
    });
  });

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile the moment SweepStateSchema and common/sweep.ts's SweepState drift apart. */
export type SweepStateSchemaInSync = Equals<z.output<typeof SweepStateSchema>, SweepState> extends true ? true : never;
export const SWEEP_STATE_SCHEMA_IN_SYNC: SweepStateSchemaInSync = true;
