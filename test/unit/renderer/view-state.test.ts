import { describe, expect, it } from 'vitest';
import { DEFAULT_SMOOTHING, MAX_SMOOTHING } from '../../../renderer/src/lib/smoothing';
import { DEFAULT_VIEW_STATE, isSmoothing, parseViewState, VIEWS } from '../../../renderer/src/lib/view-state';
import type { ViewState } from '../../../renderer/src/lib/view-state';

describe('parseViewState', () => {
  it('round-trips every view and a remembered state through JSON', () => {
    for (const { id } of VIEWS) {
      const state: ViewState = { view: id, chosenRunId: 'run-20250101-120000-ab12', isLossLog: true, smoothing: 0.37 };
      expect(parseViewState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    }
  });

  it('starts from the defaults on a first start or when storage holds something else', () => {
    for (const stored of [null, undefined, 'train', 42, [], [{ view: 'runs' }]]) expect(parseViewState(stored)).toEqual(DEFAULT_VIEW_STATE);
    expect(DEFAULT_VIEW_STATE).toEqual({ view: 'train', chosenRunId: null, isLossLog: false, smoothing: DEFAULT_SMOOTHING });
  });

  it('falls back field by field: a bad field costs only itself', () => {
    expect(parseViewState({ view: 'settings', chosenRunId: 'run-1', isLossLog: 'yes', smoothing: 0.5 })).toEqual({
      view: 'train',
      chosenRunId: 'run-1',
      isLossLog: false,
      smoothing: 0.5,
    });
    expect(parseViewState({ view: 'draw', extra: true })).toEqual({ ...DEFAULT_VIEW_STATE, view: 'draw' });
  });

  it('keeps only a run id the API would accept (no folder walks, no other types)', () => {
    for (const chosenRunId of ['../x', 'a/b', '', 7, { runId: 'run-1' }, 'x'.repeat(500)]) {
      expect(parseViewState({ chosenRunId }).chosenRunId).toBeNull();
    }
  });

  it('keeps a smoothing weight from 0 to MAX_SMOOTHING only', () => {
    expect(parseViewState({ smoothing: 0 }).smoothing).toBe(0);
    expect(parseViewState({ smoothing: MAX_SMOOTHING }).smoothing).toBe(MAX_SMOOTHING);
    for (const smoothing of [-0.1, 1, 0.995, Number.NaN, '0.5', null])
      expect(parseViewState({ smoothing }).smoothing).toBe(DEFAULT_SMOOTHING);
  });
});

describe('isSmoothing', () => {
  it('says whether the slider can show a weight', () => {
    expect([0, 0.5, 0.99].map(isSmoothing)).toEqual([true, true, true]);
    expect([1, -1, Infinity, '0.5'].map(isSmoothing)).toEqual([false, false, false, false]);
  });
});
