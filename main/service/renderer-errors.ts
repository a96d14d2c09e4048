/**
 * Errors the page did not handle, reported by its `error` and `unhandledrejection` handlers
 * through reportRendererError, written to the log. Rate-limited: a render loop that throws on
 * every frame would otherwise push everything else out of the rotated file. What the page
 * sends cannot forge log lines: the message and source are flattened to one line, and every
 * stack line is indented under them.
 */
import type { RendererError } from '../../common/api';
import type { Logger } from './logger';

/** Reports logged per minute; the rest are counted. */
export const MAX_RENDERER_ERRORS_PER_MINUTE = 20;
const MINUTE_MS = 60_000;

/** Logs renderer errors, at most MAX_RENDERER_ERRORS_PER_MINUTE a minute. */
export class RendererErrorLog {
  #windowStartMs = Number.NEGATIVE_INFINITY;
  #logged = 0;
  #dropped = 0;

  constructor(
    private readonly log: Logger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Logs one report (already validated against RendererErrorSchema), unless this minute's share is used up. */
  report(error: RendererError): void {
    const now = this.nowMs();
    if (now - this.#windowStartMs >= MINUTE_MS) this.#startWindow(now);
    if (this.#logged >= MAX_RENDERER_ERRORS_PER_MINUTE) {
      if (this.#dropped++ === 0) this.log.warn('Renderer: more errors this minute; they are counted, not logged.');
      return;
    }
    this.#logged++;
    const what = error.kind === 'rejection' ? 'Renderer unhandled rejection' : 'Renderer error';
    const where = error.source ? ` (${oneLine(error.source)})` : '';
    const stack = error.stack ? `\n${indented(error.stack)}` : '';
    this.log.error(`${what}${where}: ${oneLine(error.message)}${stack}`);
  }

  #startWindow(now: number): void {
    if (this.#dropped > 0) this.log.warn(`Renderer: ${this.#dropped} more errors in the minute before were not logged.`);
    this.#windowStartMs = now;
    this.#logged = 0;
    this.#dropped = 0;
  }
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function indented(stack: string): string {
  return stack
    .split(/\r?\n/)
    .map((line) => oneLine(line))
    .filter((line) => line.length > 0)
    .map((line) => `    ${line}`)
    .join('\n');
}
