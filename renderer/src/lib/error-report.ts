/**
 * Sends the page's unhandled errors and rejections to main's log file (reportRendererError),
 * because a packaged app's DevTools console is a place nobody looks. Reports are cut to the
 * contract's limits here, so that a long stack is shortened rather than refused, and a page
 * sends at most MAX_REPORTS_PER_PAGE: an effect that throws on every frame must not become a
 * stream of calls. A report that fails is dropped, never reported in turn.
 */
import { RENDERER_ERROR_LIMITS } from '../../../common/api';
import type { RendererError } from '../../../common/api';

export const MAX_REPORTS_PER_PAGE = 50;

/** The parts of an ErrorEvent a report uses. */
export interface ErrorEventLike {
  message?: string;
  filename?: string;
  lineno?: number;
  colno?: number;
  error?: unknown;
}

/** A report for a `window` 'error' event. */
export function errorEventReport(event: ErrorEventLike): RendererError {
  const fromError = describeThrown(event.error);
  const source = event.filename ? `${event.filename}:${event.lineno ?? 0}:${event.colno ?? 0}` : undefined;
  return fitted({ kind: 'error', message: event.message || fromError.message, stack: fromError.stack, source });
}

/** A report for a promise rejection nobody handled. */
export function rejectionReport(reason: unknown): RendererError {
  return fitted({ kind: 'rejection', ...describeThrown(reason) });
}

/**
 * Listens for 'error' and 'unhandledrejection' on `target` (the window) and reports each
 * through `send`. Returns the uninstall.
 */
export function installErrorReporting(target: EventTarget, send: (report: RendererError) => Promise<void>): () => void {
  let sent = 0;
  const report = (error: RendererError): void => {
    if (sent++ >= MAX_REPORTS_PER_PAGE) return;
    send(error).catch(() => undefined);
  };
  const onError = (event: Event): void => report(errorEventReport(event as ErrorEventLike & Event));
  const onRejection = (event: Event): void => report(rejectionReport((event as PromiseRejectionEvent).reason));
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}

function describeThrown(thrown: unknown): { message: string; stack?: string } {
  try {
    if (thrown instanceof Error) return { message: `${thrown.name}: ${thrown.message}`, stack: thrown.stack };
    return { message: typeof thrown === 'string' ? thrown : String(thrown) };
  } catch {
    return { message: 'an error that could not be turned into text' }; // a hostile toString or name getter
  }
}

function fitted(error: { kind: RendererError['kind']; message: string; stack?: string; source?: string }): RendererError {
  return {
    kind: error.kind,
    message: cut(error.message, RENDERER_ERROR_LIMITS.message),
    ...(error.stack ? { stack: cut(error.stack, RENDERER_ERROR_LIMITS.stack) } : {}),
    ...(error.source ? { source: cut(error.source, RENDERER_ERROR_LIMITS.source) } : {}),
  };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
