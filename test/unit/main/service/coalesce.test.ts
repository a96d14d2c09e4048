import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventCoalescer } from '../../../../main/service/coalesce';
import type { StudioEvent } from '../../../../common/api';
import { FakeTimers } from './fake-timers';
import { done, progress, started } from './events';

function setup(maxPerSecond = 20) {
  const timers = new FakeTimers();
  const delivered: StudioEvent[] = [];
  /** When each progress event went out, in fake ms. */
  const progressTimesMs: number[] = [];
  const coalescer = new EventCoalescer(
    (event) => {
      delivered.push(event);
      if (event.type === 'progress') progressTimesMs.push(timers.now());
    },
    { timers, maxPerSecond },
  );
  return { timers, delivered, coalescer, progressTimesMs };
}

const iterations = (events: StudioEvent[]) => events.flatMap((e) => (e.type === 'progress' ? [e.iteration] : []));

describe('EventCoalescer', () => {
  it('delivers the first progress at once', () => {
    const { coalescer, delivered } = setup();
    coalescer.push(progress(1));
    expect(iterations(delivered)).toEqual([1]);
  });

  it('sends at most 20 progress events per second for a run reporting every millisecond', () => {
    const { coalescer, delivered, timers } = setup();
    for (let i = 1; i <= 1000; i++) {
      coalescer.push(progress(i));
      timers.advance(1);
    }
    timers.advance(1000);
    // 1000 ms at 50 ms spacing: 20 sends plus the leading one.
    expect(delivered.length).toBeLessThanOrEqual(21);
    expect(delivered.length).toBeGreaterThanOrEqual(19);
  });

  it('keeps the latest progress and flushes it after the interval (trailing send)', () => {
    const { coalescer, delivered, timers } = setup();
    coalescer.push(progress(1));
    coalescer.push(progress(2));
    coalescer.push(progress(3));
    expect(iterations(delivered)).toEqual([1]);
    timers.advance(50);
    expect(iterations(delivered)).toEqual([1, 3]);
    expect(timers.pendingCount).toBe(0);
  });

  it('flushes held progress before a done event, and never drops the done', () => {
    const { coalescer, delivered, timers } = setup();
    coalescer.push(progress(1));
    coalescer.push(progress(2));
    coalescer.push(done());
    expect(delivered.map((e) => e.type)).toEqual(['progress', 'progress', 'done']);
    expect(iterations(delivered)).toEqual([1, 2]);
    expect(timers.pendingCount).toBe(0); // no stale trailing send after the run ended
  });

  it('never drops a progress that carries a validation score, and keeps it in order', () => {
    const { coalescer, delivered } = setup();
    coalescer.push(progress(10));
    coalescer.push(progress(20));
    coalescer.push({ ...progress(30), validation: { loss: 0.5, accuracy: 0.9 } });
    coalescer.push(progress(40));
    expect(iterations(delivered)).toEqual([10, 20, 30]);
    expect(delivered.filter((e) => e.type === 'progress' && e.validation)).toHaveLength(1);
  });

  it('delivers started, error and worker-restarted immediately and in order', () => {
    const { coalescer, delivered } = setup();
    coalescer.push(started());
    coalescer.push(progress(1));
    coalescer.push(progress(2));
    coalescer.push({ type: 'error', runId: 'run-a', code: 'worker-crashed', message: 'boom' });
    coalescer.push({ type: 'worker-restarted', reason: 'boom' });
    expect(delivered.map((e) => e.type)).toEqual(['started', 'progress', 'progress', 'error', 'worker-restarted']);
  });

  it('limits each run separately', () => {
    const { coalescer, delivered } = setup();
    coalescer.push(progress(1, 'a'));
    coalescer.push(progress(1, 'b'));
    expect(delivered).toHaveLength(2);
  });

  it('ignores events after dispose and leaves no timers', () => {
    const { coalescer, delivered, timers } = setup();
    coalescer.push(progress(1));
    coalescer.push(progress(2));
    coalescer.dispose();
    coalescer.push(done());
    timers.advance(1000);
    expect(iterations(delivered)).toEqual([1]);
    expect(timers.pendingCount).toBe(0);
  });

  it('for any schedule: never drops a non-progress event, keeps order, stays under the rate, ends on the last progress', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('progress' as const), gapMs: fc.integer({ min: 0, max: 120 }) }),
      fc.record({ kind: fc.constant('started' as const), gapMs: fc.integer({ min: 0, max: 120 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const { coalescer, delivered, timers, progressTimesMs } = setup();
        let iteration = 0;
        const sent: StudioEvent[] = [];
        for (const s of steps) {
          const event = s.kind === 'progress' ? progress(++iteration) : started();
          sent.push(event);
          coalescer.push(event);
          timers.advance(s.gapMs);
        }
        coalescer.push(done());
        const boundaries = delivered.filter((e) => e.type !== 'progress').length;
        expect(boundaries).toBe(sent.filter((e) => e.type !== 'progress').length + 1);
        const its = iterations(delivered);
        expect(its).toEqual([...its].sort((a, b) => a - b)); // in order
        if (iteration > 0) expect(its.at(-1)).toBe(iteration); // the last progress arrives
        expect(delivered.at(-1)?.type).toBe('done');
        // Spacing only holds between boundaries: a flush before started/done may send early.
        const flushed = delivered.filter((e) => e.type !== 'progress').length;
        const tooClose = progressTimesMs.slice(1).filter((t, i) => t - progressTimesMs[i] < 50).length;
        expect(tooClose).toBeLessThanOrEqual(flushed);
      }),
    );
  });
});
