/**
 * Saved runs scored on the person's score digits (issue 17), and a fine-tuned run set against
 * its parent. The reading itself happens on the predictor worker (`classify`); here the digits
 * are chosen (the score part, less any digit the run learnt from), the answers tallied, and
 * scores cached by the set's revision and the run's files, so a table of runs costs one pass each.
 */
import { PIXEL_COUNT } from '../../common/api';
import type { FineTuneReport, MyDigitsScore, RunRecord } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { StoredDigit, StoredSet } from '../store/my-digits-store';

/** What scoring needs from the rest of the service. */
export interface ScoreSources {
  current(): Promise<StoredSet>;
  /** A signature of the set file, so a hand edit that kept the revision still counts as a change. */
  signature(): Promise<string>;
  loadRecord(runId: string): Promise<RunRecord>;
  /** Changes whenever the run's files are replaced. */
  fingerprint(runId: string): Promise<string>;
  /** The digit each image is read as: [n × 784] in, [n] out (the predictor worker). */
  classify(runId: string, pixels: Float32Array): Promise<number[]>;
}

/** Scores kept at most: a few per run for a long list of runs. */
const MAX_CACHED = 500;

/** The score digits a run may be scored on: not one it, or a run it descends from, learnt from. */
function scorable(set: StoredSet, excluded: ReadonlySet<string>): { used: StoredDigit[]; excluded: number } {
  const score = set.digits.filter((d) => d.part === 'score');
  const used = score.filter((d) => !excluded.has(d.id));
  return { used, excluded: score.length - used.length };
}

/** Tallies the answers: overall and per label. */
export function tally(
  runId: string,
  revision: number,
  digits: readonly StoredDigit[],
  answers: readonly number[],
  excluded: number,
): MyDigitsScore {
  const perDigit = Array.from({ length: 10 }, (_, label) => ({ label, count: 0, correct: 0 }));
  digits.forEach((digit, i) => {
    perDigit[digit.label].count++;
    if (answers[i] === digit.label) perDigit[digit.label].correct++;
  });
  const correct = perDigit.reduce((sum, d) => sum + d.correct, 0);
  return {
    runId,
    revision,
    count: digits.length,
    correct,
    accuracy: digits.length > 0 ? correct / digits.length : null,
    perDigit,
    answers: digits.map((d, i) => ({ id: d.id, predicted: answers[i] })),
    excluded,
  };
}

/** Runs scored on the score digits, cached; fine-tunes set against their parents. */
export class MyDigitsScorer {
  readonly #cache = new Map<string, Promise<MyDigitsScore>>();

  constructor(private readonly sources: ScoreSources) {}

  /** `runId` on the score digits it did not learn from (`trainedOn`: its own record's unless given). */
  async score(runId: string, trainedOn?: readonly string[]): Promise<MyDigitsScore> {
    const [set, signature, print, record] = await Promise.all([
      this.sources.current(),
      this.sources.signature(),
      this.sources.fingerprint(runId).catch(() => ''),
      this.sources.loadRecord(runId),
    ]);
    const { used, excluded } = scorable(set, new Set(trainedOn ?? record.parent?.trainedOn ?? []));
    const key = `${runId}|${print}|${set.revision}|${signature}|${used.map((d) => d.id).join(',')}`;
    let score = this.#cache.get(key);
    if (!score) {
      score = this.compute(runId, set.revision, used, excluded);
      this.remember(key, score);
    }
    return score;
  }

  /** A fine-tuned run against its parent, both on the score digits the fine-tuned run never saw. */
  async report(runId: string): Promise<FineTuneReport> {
    const child = await this.sources.loadRecord(runId);
    const parent = child.parent;
    if (!parent)
      throw new StudioError(
        'invalid-input',
        `${child.name || runId} was trained from scratch, not fine-tuned: it has no before and after.`,
      );
    const after = await this.score(runId);
    const parentRecord = await this.sources.loadRecord(parent.runId).catch((err: unknown) => {
      if (err instanceof StudioError && err.code === 'not-found') return null;
      throw err;
    });
    const before = parentRecord ? await this.score(parent.runId, parent.trainedOn) : null;
    return {
      runId,
      parentRunId: parent.runId,
      parentName: parentRecord?.name ?? parent.name,
      before: { myDigits: before, testAccuracy: parentRecord ? parentRecord.testAccuracy : parent.testAccuracy },
      after: { myDigits: after, testAccuracy: child.testAccuracy },
      testCount: child.testCount,
      trainedOn: parent.trainedOn.length,
      mixRatio: parent.mixRatio,
    };
  }

  private async compute(runId: string, revision: number, digits: StoredDigit[], excluded: number): Promise<MyDigitsScore> {
    if (digits.length === 0) return tally(runId, revision, digits, [], excluded);
    const pixels = new Float32Array(digits.length * PIXEL_COUNT);
    digits.forEach((d, i) => pixels.set(d.pixels, i * PIXEL_COUNT));
    return tally(runId, revision, digits, await this.sources.classify(runId, pixels), excluded);
  }

  private remember(key: string, score: Promise<MyDigitsScore>): void {
    // A failed score is not kept: the next call tries again.
    score.catch(() => this.#cache.delete(key));
    if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(key, score);
  }
}
