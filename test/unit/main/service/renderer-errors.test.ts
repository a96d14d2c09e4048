import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { RENDERER_ERROR_LIMITS } from '../../../../common/api';
import { dispatch } from '../../../../main/service/ipc-dispatch';
import { MAX_RENDERER_ERRORS_PER_MINUTE, RendererErrorLog } from '../../../../main/service/renderer-errors';
import { StudioService } from '../../../../main/service/service';
import { TrainerHost } from '../../../../main/service/trainer-host';
import type { WorkerLike } from '../../../../main/service/trainer-host';
import type { WorkerCommand } from '../../../../main/engine/protocol';
import { fakeService } from './fake-service';

function recorder() {
  const lines: { level: string; text: string }[] = [];
  const at =
    (level: string) =>
    (...parts: unknown[]) =>
      void lines.push({ level, text: parts.map(String).join(' ') });
  return { lines, logger: { error: at('error'), warn: at('warn'), info: at('info') } };
}

/** A worker that never answers: reportRendererError never reaches one. */
class SilentWorker extends EventEmitter implements WorkerLike {
  postMessage(_message: WorkerCommand): void {}
  async terminate(): Promise<number> {
    return 0;
  }
}

describe('RendererErrorLog', () => {
  it('logs the message, where it came from and the stack, one stack line per indented line', () => {
    const { lines, logger } = recorder();
    new RendererErrorLog(logger).report({
      kind: 'error',
      message: 'TypeError: x is undefined',
      source: 'index.js:10:5',
      stack: 'TypeError: x is undefined\n    at draw (index.js:10:5)\n  at tick (index.js:20:1)',
    });
    expect(lines).toEqual([
      {
        level: 'error',
        text: 'Renderer error (index.js:10:5): TypeError: x is undefined\n    TypeError: x is undefined\n    at draw (index.js:10:5)\n    at tick (index.js:20:1)',
      },
    ]);
  });

  it('cannot be made to write a line of its own: newlines in the message and source are flattened', () => {
    const { lines, logger } = recorder();
    new RendererErrorLog(logger).report({ kind: 'error', message: 'boom\n[2026-01-01 00:00:00.000] [info] forged', source: 'a\r\nb' });
    expect(lines[0].text).toBe('Renderer error (a b): boom [2026-01-01 00:00:00.000] [info] forged');
  });

  it(`logs at most ${MAX_RENDERER_ERRORS_PER_MINUTE} a minute, says once that it drops the rest, and counts them the minute after`, () => {
    const { lines, logger } = recorder();
    let nowMs = 0;
    const log = new RendererErrorLog(logger, () => nowMs);
    for (let i = 0; i < MAX_RENDERER_ERRORS_PER_MINUTE + 5; i++) log.report({ kind: 'error', message: `error ${i}` });
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(MAX_RENDERER_ERRORS_PER_MINUTE);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    nowMs = 60_000;
    log.report({ kind: 'rejection', message: 'later' });
    expect(lines.slice(-2)).toEqual([
      { level: 'warn', text: 'Renderer: 5 more errors in the minute before were not logged.' },
      { level: 'error', text: 'Renderer unhandled rejection: later' },
    ]);
  });
});

describe('StudioService.reportRendererError()', () => {
  function service() {
    const { lines, logger } = recorder();
    const host = new TrainerHost({ config: { dataDir: '/d', runsDir: '/r' }, createWorker: () => new SilentWorker(), logger });
    return { lines, service: new StudioService({ dataDir: '/d', runsDir: '/nonexistent/runs', host, logger }), host };
  }

  it("writes a valid report to the service's logger", async () => {
    const { lines, service: studio, host } = service();
    await studio.reportRendererError({ kind: 'rejection', message: 'Error: boom', source: 'app.js:1:2' });
    expect(lines).toContainEqual({ level: 'error', text: 'Renderer unhandled rejection (app.js:1:2): Error: boom' });
    await studio.dispose();
    await host.dispose();
  });

  it.each([
    ['a message over the limit', { kind: 'error', message: 'x'.repeat(RENDERER_ERROR_LIMITS.message + 1) }],
    ['a stack over the limit', { kind: 'error', message: 'm', stack: 's'.repeat(RENDERER_ERROR_LIMITS.stack + 1) }],
    ['a source over the limit', { kind: 'error', message: 'm', source: 's'.repeat(RENDERER_ERROR_LIMITS.source + 1) }],
    ['a message that is not text', { kind: 'error', message: 42 }],
    ['a stack that is not text', { kind: 'error', message: 'm', stack: ['at x'] }],
    ['no message', { kind: 'error', stack: 'at x' }],
    ['an unknown kind', { kind: 'warning', message: 'm' }],
    ['a field the contract does not have', { kind: 'error', message: 'm', level: 'info' }],
    ['an Error object instead of a report', new Error('boom')],
    ['not an object', 'boom'],
  ])('refuses %s, logging nothing', async (_what, payload) => {
    const { lines, service: studio, host } = service();
    await expect(studio.reportRendererError(payload as never)).rejects.toMatchObject({ code: 'invalid-input' });
    expect(lines.filter((l) => l.text.startsWith('Renderer'))).toEqual([]);
    await studio.dispose();
    await host.dispose();
  });

  it('is refused by dispatch() before the service, as every method is', async () => {
    const fake = fakeService();
    const tooLong = { kind: 'error', message: 'x'.repeat(RENDERER_ERROR_LIMITS.message + 1) };
    const result = await dispatch('reportRendererError', tooLong, true, fake, vi.fn());
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(fake.reportRendererError).not.toHaveBeenCalled();
    await expect(dispatch('reportRendererError', { kind: 'error', message: 'ok' }, true, fake, vi.fn())).resolves.toEqual({ ok: true });
  });
});
