/**
 * What the trainer worker is asked to train: a StartRequest, and for a fine-tune (issue 17,
 * "Teach it my handwriting") the run it starts from and the personal digits mixed into its
 * batches. Checkpoints keep the whole job, so a fine-tune resumes with the same digits. The
 * `parent` a fine-tuned run's record keeps is defined here too. No TensorFlow.
 */
import { z } from 'zod';
import type { RunParent, StartRequest } from '../../common/api';
import { MAX_MY_DIGITS, MixRatioSchema, MyDigitIdSchema, PredictRequestSchema, RunRefSchema, StartRequestSchema } from '../../common/api';

const fraction = z.number().min(0).max(1);
/** A run's ancestors can have learnt from more digits than the set holds now (some since deleted). */
const MAX_TRAINED_ON = 20 * MAX_MY_DIGITS;

/** run.json's `parent`: which run a fine-tuned run started from, and from which digits it learnt. */
export const RunParentSchema = z
  .object({
    runId: RunRefSchema.shape.runId,
    name: z.string(),
    mixRatio: MixRatioSchema,
    trainedOn: z.array(MyDigitIdSchema).max(MAX_TRAINED_ON),
    testAccuracy: fraction.nullable(),
    testCount: z.number().int().min(0).nullable(),
  })
  .strict() satisfies z.ZodType<RunParent>;

/** One fine-tune digit as the worker takes it: the label and the 784 model inputs. */
const JobDigitSchema = z.object({ label: z.number().int().min(0).max(9), pixels: PredictRequestSchema.shape.pixels }).strict();

/** The fine-tune half of a job: where it starts, and the digits (the fine-tune part only) it mixes in. */
export const FineTuneJobSchema = z
  .object({
    parent: RunParentSchema,
    digits: z.array(JobDigitSchema).min(1).max(MAX_MY_DIGITS),
  })
  .strict();
export type FineTuneJob = z.infer<typeof FineTuneJobSchema>;

/** A StartRequest, or a fine-tune: what `start` carries to the worker and a checkpoint keeps. */
export const TrainJobSchema = StartRequestSchema.extend({ fineTune: FineTuneJobSchema.optional() }).strict();
export type TrainJob = StartRequest & { fineTune?: FineTuneJob };
