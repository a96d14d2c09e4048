/**
 * "My digits" as the renderer sees it (issue 17): the personal set, each saved run's score on its
 * score part (asked for one run at a time and kept per set revision), and the fine-tune the
 * person started from the Draw view. Everything goes through the bridge; the service validates.
 */
import type {
  FineTuneReport,
  FineTuneRequest,
  MyDigit,
  MyDigitPart,
  MyDigitsListing,
  MyDigitsScore,
  SaveMyDigitRequest,
} from '../../../common/api';
import { alerts } from './alerts.svelte';
import { studio } from './studio.svelte';

class MyDigits {
  listing = $state.raw<MyDigitsListing | null>(null);
  /** Each run's score on the score part, by run id; one from an older revision is asked for again. */
  scores = $state.raw<Record<string, MyDigitsScore>>({});
  /** Fine-tuned runs set against their parents, by run id (kept per revision, like scores). */
  reports = $state.raw<Record<string, FineTuneReport>>({});
  /** The fine-tune started from the Draw view, until another one starts. */
  fineTuneRunId = $state<string | null>(null);
  isSaving = $state(false);
  digits = $derived(this.listing?.digits ?? []);
  revision = $derived(this.listing?.revision ?? -1);
  counts = $derived({
    'fine-tune': this.digits.filter((d) => d.part === 'fine-tune').length,
    score: this.digits.filter((d) => d.part === 'score').length,
  });
  /** Score requests go one after another: each loads a model on the predictor worker. */
  #queue: Promise<unknown> = Promise.resolve();
  #asked = new Set<string>();
  #problemShown: string | null = null;

  async refresh(): Promise<void> {
    await this.#apply(() => studio.bridge!.listMyDigits(), 'Could not read your digits');
  }

  /** Saves the pad's drawing with the label the person confirmed; true once saved. */
  async save(request: SaveMyDigitRequest): Promise<MyDigit | null> {
    this.isSaving = true;
    try {
      const before = new Set(this.digits.map((d) => d.id));
      const ok = await this.#apply(() => studio.bridge!.saveMyDigit(request), 'Could not save the digit');
      return ok ? (this.digits.find((d) => !before.has(d.id)) ?? null) : null;
    } finally {
      this.isSaving = false;
    }
  }

  async remove(id: string): Promise<void> {
    await this.#apply(() => studio.bridge!.deleteMyDigit({ id }), 'Could not delete the digit');
  }

  async update(id: string, change: { label?: number; part?: MyDigitPart }): Promise<void> {
    await this.#apply(() => studio.bridge!.updateMyDigit({ id, ...change }), 'Could not change the digit');
  }

  /** The whole set as one file: the save dialog in the app, a download in browser mode. */
  async exportSet(): Promise<void> {
    if (!studio.bridge) return;
    try {
      const saved = await studio.bridge.exportMyDigits();
      if (saved) alerts.notice('Your digits exported', `All ${this.digits.length} are in ${saved.path}`);
    } catch (error) {
      alerts.error(error, 'Could not export your digits');
    }
  }

  /** Adds the digits of an exported file (the open dialog, or the browser's file picker). */
  async importSet(): Promise<void> {
    if (!studio.bridge) return;
    try {
      const imported = await studio.bridge.importMyDigits({});
      if (!imported) return;
      const parts = [`${imported.added} added`];
      if (imported.skipped > 0) parts.push(`${imported.skipped} already here`);
      if (imported.overLimit > 0) parts.push(`${imported.overLimit} left out: the set is full`);
      alerts.notice('Digits imported', `${parts.join(', ')}.${imported.problem ? ` ${imported.problem}` : ''}`);
      await this.refresh();
    } catch (error) {
      alerts.error(error, 'Could not import the digits');
    }
  }

  /** A run's score at the current revision, or null while it is not known. */
  scoreOf(runId: string): MyDigitsScore | null {
    const score = this.scores[runId];
    return score && score.revision === this.revision ? score : null;
  }

  /** Asks for a run's score unless it is known or on its way (call from an effect). */
  requestScore(runId: string): void {
    const key = `${runId}@${this.revision}`;
    if (!studio.bridge || this.revision < 0 || this.scoreOf(runId) || this.#asked.has(key)) return;
    this.#asked.add(key);
    this.#queue = this.#queue.then(async () => {
      try {
        const score = await studio.bridge!.scoreMyDigits({ runId });
        this.scores = { ...this.scores, [runId]: score };
      } catch {
        this.#asked.delete(key); // a deleted run, or the worker restarting: asked again next time
      }
    });
  }

  /** A fine-tuned run against its parent, at the current revision (asked for when missing). */
  async loadReport(runId: string): Promise<void> {
    if (!studio.bridge) return;
    try {
      const report = await studio.bridge.fineTuneReport({ runId });
      this.reports = { ...this.reports, [runId]: report };
    } catch (error) {
      alerts.error(error, 'Could not compare the fine-tuned run with the run it started from');
    }
  }

  reportOf(runId: string): FineTuneReport | null {
    const report = this.reports[runId];
    return report && report.after.myDigits.revision === this.revision ? report : null;
  }

  /** Starts "Teach it my handwriting"; the Train view and the panel follow it through the run's events. */
  async fineTune(request: FineTuneRequest): Promise<boolean> {
    if (!studio.bridge) return false;
    try {
      const { runId } = await studio.bridge.fineTune(request);
      this.fineTuneRunId = runId;
      return true;
    } catch (error) {
      alerts.error(error, 'Could not start the fine-tune');
      return false;
    }
  }

  async #apply(call: () => Promise<MyDigitsListing>, failure: string): Promise<boolean> {
    if (!studio.bridge) return false;
    try {
      this.listing = await call();
      this.#sayProblem();
      return true;
    } catch (error) {
      alerts.error(error, failure);
      return false;
    }
  }

  /** A damaged file is said once per session as an alert; the gallery keeps saying it. */
  #sayProblem(): void {
    const problem = this.listing?.problem ?? null;
    if (!problem || problem === this.#problemShown) return;
    this.#problemShown = problem;
    alerts.error({ code: 'invalid-input', message: problem }, 'Some of your digits could not be read');
  }
}

/** The personal set's shared state. */
export const myDigits = new MyDigits();
