/**
 * App-wide state: whether the bridge exists, the backend and dataset status for the header,
 * and which view is showing (remembered between starts: view-state.svelte.ts).
 */
import type { DatasetStatus, LstmBridge, StudioStatus } from '../../../common/api';
import { getBridge } from '../lib/bridge';
import { toWireError } from '../lib/errors';
import type { ViewId } from '../lib/view-state';
import { viewState } from './view-state.svelte';

export { VIEWS, type ViewId } from '../lib/view-state';

/** Status polls while the backend is still unknown: about 5 minutes in all, then give up. */
const MAX_STATUS_RETRIES = 35;

class Studio {
  /** The bridge, resolved once at start-up (the preload runs before any of our scripts). */
  readonly bridge: LstmBridge | null = getBridge();
  /** The view showing; the last one shown when the studio starts. */
  get view(): ViewId {
    return viewState.view;
  }
  set view(id: ViewId) {
    viewState.view = id;
  }
  status = $state.raw<StudioStatus | null>(null);
  statusError = $state<string | null>(null);
  dataset = $state.raw<DatasetStatus | null>(null);
  datasetError = $state<string | null>(null);
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retries = 0;

  /**
   * Asks main for the backend and training status. The worker picks its backend as it starts,
   * which may be after the window opens: while the backend is unknown, ask again with backoff.
   */
  async refreshStatus(): Promise<void> {
    if (!this.bridge) return;
    clearTimeout(this.#retryTimer);
    try {
      this.status = await this.bridge.getStatus();
      this.statusError = null;
    } catch (error) {
      this.statusError = toWireError(error).message;
    }
    if (this.status?.backend) {
      this.#retries = 0;
    } else if (this.#retries < MAX_STATUS_RETRIES) {
      const delayMs = Math.min(10_000, 500 * 2 ** this.#retries++);
      this.#retryTimer = setTimeout(() => void this.refreshStatus(), delayMs);
    }
  }

  /** Asks main for the dataset's state (may take a while the first time: it parses MNIST). */
  async refreshDataset(): Promise<void> {
    if (!this.bridge) return;
    try {
      this.dataset = await this.bridge.datasetStatus();
      this.datasetError = null;
    } catch (error) {
      this.datasetError = toWireError(error).message;
    }
  }
}

/** The app's shared state. */
export const studio = new Studio();
