import { describe, expect, it } from 'vitest';
import { groupByConfig } from '../../../common/sweep-stats';
import { bestSeedOf, configLabel, configRows, formatCell, resultColumns, trialRows } from '../../../renderer/src/lib/sweep-rows';
import { sweepState, trial, unitsSweep } from './sweep-fixtures';

describe('resultColumns', () => {
  it('lists the varied fields between the index and the seeds, then scores, progress, status and time', () => {
    expect(resultColumns(['units', 'learningRate'], false).map((c) => c.id)).toEqual([
      'trial',
      'units',
      'learningRate',
      'seed',
      'bestValidation',
      'finalValidation',
      'testAccuracy',
      'iterations',
      'status',
      'wallMs',
    ]);
    expect(
      resultColumns(['units'], true)
        .map((c) => c.id)
        .slice(0, 3),
    ).toEqual(['config', 'units', 'seeds']);
  });
});

describe('trialRows', () => {
  it('gives one row per trial with raw values, 1-based trial numbers and status labels', () => {
    const state = sweepState([
      trial(0, 0, { units: 8, seed: 1 }),
      trial(1, 1, { units: 16, seed: 1 }, { status: 'pruned', iterations: 20 }),
    ]);
    const rows = trialRows(state);
    expect(rows.map((r) => r.values.trial)).toEqual([1, 2]);
    expect(rows[1].values).toMatchObject({ units: 16, seed: 1, iterations: 20, totalIterations: 40, status: 'stopped early' });
    expect(rows[1].runIds).toEqual(['run-1']);
  });

  it('trains a trial again with its own hyperparameters and seed', () => {
    const rows = trialRows(unitsSweep());
    expect(rows[3].trainWith).toEqual(unitsSweep().trials[3].hyperparams);
    expect(rows[3].trainWith).toMatchObject({ units: 16, seed: 2 });
  });
});

describe('trialRows of early stopping', () => {
  it('calls a pruned trial that never ran skipped, and says why', () => {
    const state = sweepState([trial(0, 0, { units: 8 }, { status: 'pruned', runId: null, bestValidation: null, iterations: 0 })]);
    const [row] = trialRows(state);
    expect(row.values.status).toBe('skipped');
    expect(row.note).toMatch(/stopped early on another seed/);
  });
});

describe('configRows', () => {
  it('gives one row per configuration with the mean and sample std of each score', () => {
    const rows = configRows(unitsSweep());
    expect(rows).toHaveLength(2);
    expect(rows[1].values.bestValidation).toBeCloseTo(0.93);
    expect(rows[1].std.bestValidation).toBeCloseTo(Math.SQRT2 * 0.01);
    expect(rows[1].values).toMatchObject({ config: 2, units: 16, seeds: 2, status: '2 done', wallMs: 2000 });
    expect(rows[1].runIds).toEqual(['run-2', 'run-3']);
  });

  it('trains a configuration again with the seed of its best trial, or its first seed when none scored', () => {
    const rows = configRows(unitsSweep());
    expect(rows.map((r) => [r.trainWith.units, r.trainWith.seed])).toEqual([
      [8, 2],
      [16, 1],
    ]);
    const [unscored] = configRows(sweepState([trial(0, 0, { units: 8, seed: 5 }, { status: 'failed', bestValidation: null })]));
    expect(unscored.trainWith.seed).toBe(5);
  });

  it('summarises mixed statuses in a fixed order', () => {
    const state = sweepState([trial(0, 0, { units: 8 }, { status: 'pruned' }), trial(1, 0, { units: 8 })]);
    expect(configRows(state)[0].values.status).toBe('1 done, 1 stopped early');
  });
});

describe('formatCell', () => {
  const columns = resultColumns(['units', 'cell'], true);
  const column = (id: string) => columns.find((c) => c.id === id)!;

  it('shows a mean with its std, iterations of the total, and a dash for nothing', () => {
    const row = configRows(unitsSweep())[1];
    expect(formatCell(column('bestValidation'), row)).toBe('93.0 % ± 1.4');
    expect(formatCell(column('iterations'), row)).toBe('40 / 40');
    expect(formatCell(column('testAccuracy'), { ...row, values: { ...row.values, testAccuracy: null } })).toBe('—');
  });

  it('spells choices as people write them and times as durations', () => {
    const row = configRows(sweepState([trial(0, 0, { cell: 'gru', units: 8 }, { wallMs: 65_000 })], ['units', 'cell']))[0];
    expect(formatCell(column('cell'), row)).toBe('GRU');
    expect(formatCell(column('wallMs'), row)).toBe('1:05');
  });
});

describe('configLabel', () => {
  it('names the varied values only, with their field labels', () => {
    expect(configLabel(unitsSweep().trials[0].hyperparams, ['units', 'learningRate'])).toBe('Units 8, Learning rate 0.001');
    expect(configLabel(unitsSweep().trials[0].hyperparams, [])).toBe('the base configuration');
  });
});

describe('bestSeedOf', () => {
  it('is the seed of the configuration’s best-scoring trial', () => {
    const [, sixteen] = groupByConfig(unitsSweep().trials);
    expect(bestSeedOf(sixteen)).toBe(1);
  });
});

describe('trialRows of a sweep on workers', () => {
  const onWorkers = () => {
    const state = sweepState([
      trial(0, 0, { units: 8 }, { queue: { worker: 'lab:11', attempts: 2, retryReason: 'vm:7 stopped answering', checkpoint: 20 } }),
      trial(
        1,
        0,
        { units: 8 },
        {
          status: 'running',
          runId: 'run-1',
          iterations: 10,
          wallMs: 0,
          queue: { worker: 'vm:7', attempts: 1, retryReason: null, checkpoint: null },
        },
      ),
      trial(2, 1, { units: 16 }, { status: 'pending', runId: null, iterations: 0, wallMs: 0 }),
      trial(
        3,
        1,
        { units: 16 },
        {
          status: 'pending',
          runId: null,
          iterations: 0,
          wallMs: 0,
          queue: { worker: 'vm:7', attempts: 1, retryReason: 'vm:7 stopped with it', checkpoint: null },
        },
      ),
      trial(
        4,
        1,
        { units: 16 },
        {
          status: 'failed',
          runId: 'run-4',
          error: 'the result from vm:7 was not imported: truncated',
          queue: { worker: 'vm:7', attempts: 1, retryReason: null, checkpoint: null },
        },
      ),
    ]);
    state.queue = { url: 'redis://:***@lab:6379/0', queueName: 'lstm-studio-trials', namespace: 'sweep-test.0123456789ab' };
    return state;
  };

  it('says for each trial whether it waits, where it runs and how far it is, that it was retried, or why it failed', () => {
    const live = [{ trial: 1, runId: 'run-1', worker: 'vm:7', iteration: 30, totalIterations: 40, samplesPerSec: 900, etaMs: 2000 }];
    const rows = trialRows(onWorkers(), live);
    expect(rows.map((r) => r.values.status)).toEqual(['done, retried', 'running on vm:7 75 %', 'waiting', 'waiting (retry)', 'failed']);
    expect(rows.map((r) => r.values.worker)).toEqual(['lab:11', 'vm:7', null, 'vm:7', 'vm:7']);
    expect(rows[1].values).toMatchObject({ iterations: 30, totalIterations: 40 });
    expect(rows[0].note).toBe('Attempt 2: vm:7 stopped answering');
    expect(rows[4].note).toMatch(/not imported: truncated/);
    // Only imported runs can be opened: not the running one, not the one whose result was refused.
    expect(rows.map((r) => r.runIds)).toEqual([['run-0'], [], [], [], []]);
  });

  it('adds a Worker column to the trial table only', () => {
    expect(resultColumns(['units'], false, true).map((c) => c.id)).toContain('worker');
    expect(resultColumns(['units'], true, true).map((c) => c.id)).not.toContain('worker');
    expect(resultColumns(['units'], false).map((c) => c.id)).not.toContain('worker');
  });
});
