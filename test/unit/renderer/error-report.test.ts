import { describe, expect, it, vi } from 'vitest';
import { RENDERER_ERROR_LIMITS, RendererErrorSchema } from '../../../common/api';
import type { RendererError } from '../../../common/api';
import { errorEventReport, installErrorReporting, MAX_REPORTS_PER_PAGE, rejectionReport } from '../../../renderer/src/lib/error-report';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function errorEvent(fields: Record<string, unknown>): Event {
  return Object.assign(new Event('error'), fields);
}

function rejectionEvent(reason: unknown): Event {
  return Object.assign(new Event('unhandledrejection'), { reason });
}

describe('errorEventReport()', () => {
  it('takes the message, the place and the stack of the thrown error', () => {
    const error = new TypeError('x is undefined');
    const report = errorEventReport({ message: 'Uncaught TypeError: x is undefined', filename: 'app.js', lineno: 3, colno: 9, error });
    expect(report).toEqual({ kind: 'error', message: 'Uncaught TypeError: x is undefined', stack: error.stack, source: 'app.js:3:9' });
  });

  it('cuts what is too long to the limits the contract accepts', () => {
    const error = Object.assign(new Error('m'), { stack: 's'.repeat(RENDERER_ERROR_LIMITS.stack * 2) });
    const report = errorEventReport({ message: 'x'.repeat(10_000), filename: 'f'.repeat(2_000), error });
    expect(report.message).toHaveLength(RENDERER_ERROR_LIMITS.message);
    expect(report.stack).toHaveLength(RENDERER_ERROR_LIMITS.stack);
    expect(RendererErrorSchema.safeParse(report).success).toBe(true);
  });
});

describe('rejectionReport()', () => {
  it('names an Error with its stack, and anything else as text', () => {
    expect(rejectionReport(new RangeError('bad'))).toMatchObject({ kind: 'rejection', message: 'RangeError: bad' });
    expect(rejectionReport(new RangeError('bad')).stack).toContain('RangeError: bad');
    expect(rejectionReport('plain text')).toEqual({ kind: 'rejection', message: 'plain text' });
    expect(rejectionReport(undefined)).toEqual({ kind: 'rejection', message: 'undefined' });
  });

  it('survives a reason whose toString throws', () => {
    const hostile = {
      toString: () => {
        throw new Error('no');
      },
    };
    expect(rejectionReport(hostile).message).toMatch(/could not be turned into text/);
  });
});

describe('installErrorReporting()', () => {
  it('reports window errors and unhandled rejections, and stops when uninstalled', async () => {
    const target = new EventTarget();
    const sent: RendererError[] = [];
    const uninstall = installErrorReporting(target, async (report) => void sent.push(report));
    target.dispatchEvent(errorEvent({ message: 'boom', filename: 'a.js', lineno: 1, colno: 2 }));
    target.dispatchEvent(rejectionEvent(new Error('later')));
    expect(sent).toEqual([
      { kind: 'error', message: 'boom', source: 'a.js:1:2' },
      expect.objectContaining({ kind: 'rejection', message: 'Error: later' }),
    ]);
    uninstall();
    target.dispatchEvent(errorEvent({ message: 'after' }));
    expect(sent).toHaveLength(2);
  });

  it(`sends at most ${MAX_REPORTS_PER_PAGE} reports from one page`, () => {
    const target = new EventTarget();
    const send = vi.fn(async () => undefined);
    installErrorReporting(target, send);
    for (let i = 0; i < MAX_REPORTS_PER_PAGE + 10; i++) target.dispatchEvent(errorEvent({ message: `e${i}` }));
    expect(send).toHaveBeenCalledTimes(MAX_REPORTS_PER_PAGE);
  });

  it('drops a report the bridge refused instead of raising another unhandled rejection', async () => {
    const target = new EventTarget();
    const send = vi.fn(async () => {
      throw new Error('[invalid-input] refused');
    });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    installErrorReporting(target, send);
    target.dispatchEvent(errorEvent({ message: 'boom' }));
    await flush();
    process.off('unhandledRejection', onRejection);
    expect(send).toHaveBeenCalledTimes(1);
    expect(rejections).toEqual([]);
  });
});
