/**
 * Saved runs: the list, full records loaded on demand (cached), the selection for comparing,
 * the opened run, which run the Draw and Test views use, and a run's exports.
 */
import type { RunRecord, RunSummary, TestResults, TestSummary } from '../../../common/api';
import { csvFileName, historyRecords, testRecords, toCsv } from '../lib/csv';
import { saveText, UTF8_BOM } from '../lib/download';
import type { CellValue } from '../lib/sweep-rows';
import { alerts } from './alerts.svelte';
import { studio } from './studio.svelte';
import { viewState } from './view-state.svelte';

class Runs {
  /** Newest first. */
  list = $state.raw<RunSummary[]>([]);
  hasLoaded = $state(false);
  isLoading = $state(false);
  /** Full records by run id; replaced, never mutated. */
  records = $state.raw<Record<string, RunRecord>>({});
  /** Test results computed with evaluate() for runs saved without them. */
  evaluations = $state.raw<Record<string, TestResults>>({});
  openId = $state<string | null>(null);
  compareIds = $state.raw<string[]>([]);
  /** Runs being exported now: their Export button waits (a second click would race the first). */
  exportingIds = $state.raw<string[]>([]);
  /** The run the Draw and Test views use; null = the newest. Remembered between starts. */
  get chosenId(): string | null {
    return viewState.chosenRunId;
  }
  set chosenId(runId: string | null) {
    viewState.chosenRunId = runId;
  }
  /** The chosen run, falling back to the newest when none (or a deleted one) is chosen. */
  chosen = $derived(this.list.find((r) => r.runId === this.chosenId) ?? this.list[0] ?? null);

  /** A run's name as people see it (its id only when it has none), for messages. */
  labelOf(runId: string): string {
    const run = this.list.find((r) => r.runId === runId) ?? this.records[runId];
    return run?.name || runId;
  }

  /** Reloads the list from disk. */
  async refresh(): Promise<void> {
    if (!studio.bridge) return;
    this.isLoading = true;
    try {
      const list = await studio.bridge.listRuns();
      this.list = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const ids = new Set(this.list.map((r) => r.runId));
      this.compareIds = this.compareIds.filter((id) => ids.has(id));
      if (this.openId && !ids.has(this.openId)) this.openId = null;
      // A remembered run that has since been deleted (here or by another window): the newest again.
      if (this.chosenId && !ids.has(this.chosenId)) this.chosenId = null;
    } catch (error) {
      alerts.error(error, 'Could not list the saved runs');
    } finally {
      this.isLoading = false;
      this.hasLoaded = true;
    }
  }

  /** The full record of a run, from the cache or loaded; null (with an alert) on failure. */
  async load(runId: string, force = false): Promise<RunRecord | null> {
    if (!force && this.records[runId]) return this.records[runId];
    if (!studio.bridge) return null;
    try {
      const record = await studio.bridge.loadRun({ runId });
      this.records = { ...this.records, [runId]: record };
      return record;
    } catch (error) {
      alerts.error(error, `Could not load run “${this.labelOf(runId)}”`);
      return null;
    }
  }

  /** Scores a run on the test set (for runs saved without test results). */
  async evaluate(runId: string): Promise<TestResults | null> {
    if (!studio.bridge) return null;
    try {
      const test = await studio.bridge.evaluate({ runId });
      this.evaluations = { ...this.evaluations, [runId]: test };
      return test;
    } catch (error) {
      alerts.error(error, `Could not score run “${this.labelOf(runId)}” on the test set`);
      return null;
    }
  }

  /** Copies a run to a folder the person picks in the native dialog; says where, or nothing on Cancel. */
  async exportRun(runId: string): Promise<void> {
    if (!studio.bridge || this.exportingIds.includes(runId)) return;
    this.exportingIds = [...this.exportingIds, runId];
    try {
      const exported = await studio.bridge.exportRun({ runId });
      if (exported) alerts.notice('Run exported', `A copy of “${this.labelOf(runId)}” is in ${exported.path}`);
    } catch (error) {
      alerts.error(error, `Could not export “${this.labelOf(runId)}”`);
    } finally {
      this.exportingIds = this.exportingIds.filter((id) => id !== runId);
    }
  }

  /** Saves a run's whole history (batch and validation loss and accuracy by iteration) as CSV. */
  async saveHistory(runId: string): Promise<void> {
    const record = await this.load(runId);
    if (record) await this.#saveCsv(runId, 'history', historyRecords(record.history));
  }

  /** Saves a run's test-set result (the confusion matrix, each digit's accuracy) as CSV. */
  async saveTestResults(runId: string, test: TestSummary): Promise<void> {
    await this.#saveCsv(runId, 'test-set result', testRecords(test));
  }

  /** Saves `records` as "<run name>-<what>.csv" and says where. */
  async #saveCsv(runId: string, what: string, records: CellValue[][]): Promise<void> {
    if (!studio.bridge) return;
    const label = this.labelOf(runId);
    try {
      // The BOM lets Excel read the file as UTF-8; every other reader skips it.
      const path = await saveText(studio.bridge, csvFileName(`${label} ${what}`, runId), UTF8_BOM + toCsv(records));
      if (path) alerts.notice('Saved as CSV', `The ${what} of “${label}” is in ${path}`);
    } catch (error) {
      alerts.error(error, `Could not save the ${what} of “${label}”`);
    }
  }

  /**
   * Deletes a run for good and refreshes the list. It leaves the details and the comparison
   * first, so nothing on screen goes on asking for the record that is about to vanish.
   */
  async remove(runId: string): Promise<void> {
    if (!studio.bridge) return;
    const label = this.labelOf(runId);
    const wasOpen = this.openId === runId;
    const wasCompared = this.compareIds.includes(runId);
    if (wasOpen) this.openId = null;
    if (wasCompared) this.compareIds = this.compareIds.filter((id) => id !== runId);
    try {
      await studio.bridge.deleteRun({ runId });
      const { [runId]: _removed, ...rest } = this.records;
      this.records = rest;
      if (this.chosenId === runId) this.chosenId = null;
    } catch (error) {
      if (wasOpen) this.openId = runId;
      if (wasCompared) this.compareIds = [...this.compareIds, runId];
      alerts.error(error, `Could not delete “${label}”`);
    }
    await this.refresh();
  }

  /** Adds a run to, or removes it from, the comparison. */
  toggleCompare(runId: string, isSelected: boolean): void {
    const others = this.compareIds.filter((id) => id !== runId);
    this.compareIds = isSelected ? [...others, runId] : others;
  }
}

/** The saved runs' shared state. */
export const runs = new Runs();
// labelOf answers the id itself for a run without a name, which readableMessage leaves as it is.
alerts.useRunNames((runId) => runs.labelOf(runId));
