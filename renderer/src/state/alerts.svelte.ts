/**
 * Alerts shown under the header: errors from any view and notices such as a worker restart.
 * Nothing that fails is silent. Errors stay until dismissed; notices fade after a few seconds.
 * An alert raised by something done in one view stays with that view: leaving it clears it,
 * so it does not follow the person around. Training events are global (the run goes on
 * whatever the view) and show everywhere.
 */
import type { WireError } from '../../../common/api';
import { errorHint, errorTitle, toWireError } from '../lib/errors';
import { readableMessage } from '../lib/wording';
import { studio } from './studio.svelte';
import type { ViewId } from './studio.svelte';

/** How long a notice stays. */
export const NOTICE_MS = 8_000;

/** One alert. */
export interface Alert {
  id: number;
  kind: 'error' | 'notice';
  title: string;
  message: string;
  hint: string | null;
  /** The view it belongs to; null for global alerts (training events). */
  view: ViewId | null;
}

/** Where an alert is shown: the current view (the default) or everywhere. */
export interface AlertOptions {
  isGlobal?: boolean;
}

class Alerts {
  list = $state.raw<Alert[]>([]);
  #nextId = 1;
  #nameOf: (runId: string) => string | null = () => null;

  /** How messages name runs (the runs state registers it; alerts cannot import it without a cycle). */
  useRunNames(nameOf: (runId: string) => string | null): void {
    this.#nameOf = nameOf;
  }

  /** Shows an error; `context` says what was being done ("Could not load the run"). */
  error(error: WireError | unknown, context?: string, options: AlertOptions = {}): void {
    const wire = toWireError(error);
    // The context says what failed and the message why; the code's own title would only repeat it.
    const title = context ?? errorTitle(wire.code);
    this.#push({ kind: 'error', title, message: readableMessage(wire.message, this.#nameOf), hint: errorHint(wire.code) }, options);
  }

  /** Shows an informational notice for NOTICE_MS. */
  notice(title: string, message: string, options: AlertOptions = {}): void {
    const id = this.#push({ kind: 'notice', title, message: readableMessage(message, this.#nameOf), hint: null }, options);
    setTimeout(() => this.dismiss(id), NOTICE_MS);
  }

  /** Removes one alert. */
  dismiss(id: number): void {
    this.list = this.list.filter((a) => a.id !== id);
  }

  /** Drops the alerts that belonged to other views: called when the view changes. */
  keepOnly(view: ViewId): void {
    if (this.list.some((a) => a.view !== null && a.view !== view)) this.list = this.list.filter((a) => a.view === null || a.view === view);
  }

  #push(alert: Omit<Alert, 'id' | 'view'>, options: AlertOptions): number {
    // Repeating the same message again and again helps nobody; keep one copy.
    const others = this.list.filter((a) => a.title !== alert.title || a.message !== alert.message);
    const id = this.#nextId++;
    this.list = [...others, { ...alert, id, view: options.isGlobal ? null : studio.view }];
    return id;
  }
}

/** The app's alerts. */
export const alerts = new Alerts();
