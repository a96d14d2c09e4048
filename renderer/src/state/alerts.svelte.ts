/**
 * Alerts shown under the header: errors from any view and notices such as a worker restart.
 * Nothing that fails is silent; every alert stays until dismissed.
 */
import type { WireError } from '../../../preload/api';
import { errorHint, errorTitle, toWireError } from '../lib/errors';

/** One alert. */
export interface Alert {
  id: number;
  kind: 'error' | 'notice';
  title: string;
  message: string;
  hint: string | null;
}

class Alerts {
  list = $state.raw<Alert[]>([]);
  #nextId = 1;

  /** Shows an error; `context` says what was being done ("Could not load the run"). */
  error(error: WireError | unknown, context?: string): void {
    const wire = toWireError(error);
    const title = context ?? errorTitle(wire.code);
    const message = context && wire.code !== 'internal' ? `${errorTitle(wire.code)}: ${wire.message}` : wire.message;
    this.#push({ kind: 'error', title, message, hint: errorHint(wire.code) });
  }

  /** Shows an informational notice. */
  notice(title: string, message: string): void {
    this.#push({ kind: 'notice', title, message, hint: null });
  }

  /** Removes one alert. */
  dismiss(id: number): void {
    this.list = this.list.filter((a) => a.id !== id);
  }

  #push(alert: Omit<Alert, 'id'>): void {
    // Repeating the same message again and again helps nobody; keep one copy.
    const others = this.list.filter((a) => a.title !== alert.title || a.message !== alert.message);
    this.list = [...others, { ...alert, id: this.#nextId++ }];
  }
}

/** The app's alerts. */
export const alerts = new Alerts();
