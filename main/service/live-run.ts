/**
 * The run in progress as the service has seen it, so that a window opened or reloaded mid-run
 * (`getStatus().live`) shows the curves from the start, validation points included, instead of
 * starting them at the current iteration. Built from the host's events before they are
 * coalesced, with the same points a saved run's history keeps: the batch metrics every
 * DISPLAY_EVERY iterations and every validation score. Pure: no I/O.
 */
import { DISPLAY_EVERY } from '../../common/api';
import type { LiveRun, StudioEvent } from '../../common/api';

/** Follows one run from `started` to its end. */
export class LiveRunTracker {
  #live: LiveRun | null = null;

  /** Takes every event the trainer sends, in order. */
  observe(event: StudioEvent): void {
    if (event.type === 'started') {
      const history = event.resumedFrom ? structuredClone(event.resumedFrom.history) : { train: [], validation: [] };
      this.#live = { started: event, progress: null, history };
    } else if (event.type === 'progress') {
      this.#addProgress(event);
    } else {
      this.#live = null; // done, error or a restarted worker: nothing is training any more
    }
  }

  /** A copy of what is known of the run in progress; null when none is. */
  snapshot(): LiveRun | null {
    return this.#live ? structuredClone(this.#live) : null;
  }

  #addProgress(event: Extract<StudioEvent, { type: 'progress' }>): void {
    const live = this.#live;
    if (!live || live.started.runId !== event.runId) return;
    live.progress = event;
    const point = { iteration: event.iteration, loss: event.loss, accuracy: event.accuracy };
    if (event.iteration % DISPLAY_EVERY === 0) live.history.train.push(point);
    if (event.validation) live.history.validation.push({ iteration: event.iteration, ...event.validation });
  }
}
