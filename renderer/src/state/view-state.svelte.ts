/**
 * The view state the studio remembers between starts: the view, the run Draw and Test set use,
 * and the chart settings (loss on a log axis, the smoothing). Read from localStorage once and
 * checked (lib/view-state.ts); every change is written back. studio.view and runs.chosenId
 * read and write through it, so whoever switches the view need not know it is remembered.
 */
import { parseViewState, type ViewId, type ViewState } from '../lib/view-state';

const STORAGE_KEY = 'lstm-studio:view-state';

function restore(): ViewState {
  try {
    return parseViewState(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null'));
  } catch {
    return parseViewState(null); // no storage (private mode) or damaged JSON: the defaults will do
  }
}

const restored = restore();

class RememberedViewState implements ViewState {
  view = $state<ViewId>(restored.view);
  chosenRunId = $state<string | null>(restored.chosenRunId);
  isLossLog = $state(restored.isLossLog);
  smoothing = $state(restored.smoothing);

  constructor() {
    // Storage is outside Svelte: one effect for the app's lifetime writes every change there.
    $effect.root(() => {
      $effect(() => this.#save({ view: this.view, chosenRunId: this.chosenRunId, isLossLog: this.isLossLog, smoothing: this.smoothing }));
    });
  }

  #save(state: ViewState): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch {
      // Storage full or unavailable: remembering the view is a convenience, not a requirement.
    }
  }
}

/** The remembered view state. */
export const viewState = new RememberedViewState();
