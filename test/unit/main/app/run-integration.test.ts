import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import type { StudioEvent } from '../../../../common/api';
import type { SweepEvent } from '../../../../common/sweep';
import { NOTIFY_AFTER_MS } from '../../../../main/app/run-activity';
import { done, EMPTY_TEST, progress, started } from '../service/events';

/** What the stand-in Electron was asked to do, in order. */
const calls: string[] = [];
const notifications: FakeNotification[] = [];
const app = new EventEmitter();
let isNotificationSupported = true;

class FakeNotification extends EventEmitter {
  constructor(readonly options: { title: string; body: string }) {
    super();
    notifications.push(this);
  }
  show(): void {
    calls.push(`notify: ${this.options.title} / ${this.options.body}`);
  }
  static isSupported(): boolean {
    return isNotificationSupported;
  }
}

let nextBlockerId = 7;
vi.mock('electron', () => ({
  app,
  Notification: FakeNotification,
  powerSaveBlocker: {
    start: (type: string) => {
      calls.push(`blocker.start(${type})`);
      return nextBlockerId++;
    },
    stop: (id: number) => void calls.push(`blocker.stop(${id})`),
  },
}));

const { setupRunIntegration } = await import('../../../../main/app/run-integration');

function fakeWindow(isFocused = false) {
  const window = {
    focused: isFocused,
    destroyed: false,
    isFocused: () => window.focused,
    isDestroyed: () => window.destroyed,
    setProgressBar: (fraction: number) => void calls.push(`progress(${fraction})`),
  };
  return window;
}

function setup(window: ReturnType<typeof fakeWindow> | null = fakeWindow()) {
  const events = new EventEmitter();
  const service = {
    onEvent: (callback: (event: StudioEvent) => void) => {
      events.on('event', callback);
      return () => void events.off('event', callback);
    },
  };
  let nowMs = 0;
  const focusWindow = vi.fn();
  const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn() };
  const teardown = setupRunIntegration(service, {
    getWindow: () => window as unknown as BrowserWindow | null,
    focusWindow,
    logger,
    now: () => nowMs,
  });
  const send = (event: StudioEvent, atMs = nowMs) => {
    nowMs = atMs;
    events.emit('event', event);
  };
  return { send, teardown, focusWindow, logger, listeners: () => events.listenerCount('event') };
}

const sweep = (overrides: Partial<SweepEvent>): SweepEvent => ({
  type: 'sweep',
  sweepId: 'sweep-1',
  name: 'units',
  status: 'running',
  trialCount: 2,
  finished: 0,
  currentTrial: null,
  currentRunId: null,
  remainingAfterCurrentMs: 0,
  problem: null,
  ...overrides,
});

beforeEach(() => {
  calls.length = 0;
  notifications.length = 0;
  app.removeAllListeners();
  isNotificationSupported = true;
  nextBlockerId = 7;
});

describe('setupRunIntegration()', () => {
  it('a run: blocks app suspension at its start, sets the taskbar progress, and clears both at its end', () => {
    const { send } = setup();
    send(started('r1'));
    send(progress(250, 'r1'));
    send(done('r1'), 1000);
    expect(calls).toEqual(['blocker.start(prevent-app-suspension)', 'progress(0)', 'progress(0.25)', 'progress(-1)', 'blocker.stop(7)']);
  });

  it('a stopped run releases the blocker exactly once', () => {
    const { send } = setup();
    send(started('r1'));
    send({ ...done('r1'), stopped: true });
    send({ ...done('r1'), stopped: true });
    expect(calls.filter((c) => c.startsWith('blocker.stop'))).toHaveLength(1);
  });

  it('a failed run releases the blocker and, after a minute unwatched, notifies; a click focuses the window', () => {
    const { send, focusWindow } = setup(fakeWindow(false));
    send(started('r1'), 0);
    send({ type: 'error', runId: 'r1', code: 'worker-crashed', message: 'The trainer crashed: out of memory.' }, NOTIFY_AFTER_MS + 1);
    expect(calls.slice(-3)).toEqual([
      'progress(-1)',
      'blocker.stop(7)',
      'notify: Training failed / Run r1 failed: The trainer crashed: out of memory.',
    ]);
    notifications[0].emit('click');
    expect(focusWindow).toHaveBeenCalledTimes(1);
  });

  it('says how a long run finished, and not when the window is focused', () => {
    const away = setup(fakeWindow(false));
    away.send(started('r1'), 0);
    away.send({ ...done('r1'), test: { ...EMPTY_TEST, count: 10_000, accuracy: 0.981 } }, NOTIFY_AFTER_MS + 1);
    expect(calls.at(-1)).toBe('notify: Training finished / Run r1 finished: 98.1 % test accuracy.');
    calls.length = 0;
    app.removeAllListeners();
    const watched = setup(fakeWindow(true));
    watched.send(started('r2'), 0);
    watched.send(done('r2'), NOTIFY_AFTER_MS + 1);
    expect(calls.some((c) => c.startsWith('notify'))).toBe(false);
  });

  it('shows no notification where the OS has none, and still releases the blocker', () => {
    isNotificationSupported = false;
    const { send } = setup();
    send(started('r1'), 0);
    send(done('r1'), NOTIFY_AFTER_MS + 1);
    expect(notifications).toHaveLength(0);
    expect(calls.at(-1)).toBe('blocker.stop(7)');
  });

  it('a sweep: one blocker across its trials, progress over the whole sweep', () => {
    const { send } = setup();
    send(sweep({ currentRunId: 't1' }));
    send(started('t1'));
    send(progress(500, 't1'));
    send(done('t1'));
    send(sweep({ finished: 1, currentRunId: 't2' }));
    send(started('t2'));
    send(done('t2'));
    send(sweep({ finished: 2 }));
    send(sweep({ status: 'done', finished: 2 }));
    expect(calls).toEqual([
      'blocker.start(prevent-app-suspension)',
      'progress(0)',
      'progress(0.25)',
      'progress(0.5)',
      'progress(1)',
      'progress(-1)',
      'blocker.stop(7)',
    ]);
  });

  it('without a window: keeps the machine awake and skips the progress bar', () => {
    const { send } = setup(null);
    send(started('r1'));
    send(progress(500, 'r1'));
    send(done('r1'));
    expect(calls).toEqual(['blocker.start(prevent-app-suspension)', 'blocker.stop(7)']);
  });

  it('on quit mid-run: releases the blocker and stops listening', () => {
    const { send, listeners } = setup();
    send(started('r1'));
    app.emit('will-quit');
    expect(calls.slice(-2)).toEqual(['progress(-1)', 'blocker.stop(7)']);
    expect(listeners()).toBe(0);
    app.emit('will-quit');
    expect(calls.filter((c) => c.startsWith('blocker.stop'))).toHaveLength(1);
  });

  it('logs an action the OS refused and carries on with the rest', () => {
    const window = fakeWindow();
    window.setProgressBar = () => {
      throw new Error('no taskbar');
    };
    const { send, logger } = setup(window);
    send(started('r1'));
    send(done('r1'));
    expect(logger.warn).toHaveBeenCalledWith('Could not setProgress:', expect.any(Error));
    expect(calls).toEqual(['blocker.start(prevent-app-suspension)', 'blocker.stop(7)']);
  });
});
