import { describe, expect, it } from 'vitest';
import { fineTuneJob } from '../../../../main/service/fine-tune-job';
import { makeRecord } from '../engine/run-fixtures';
import { storedDigit } from '../store/my-digits-fixtures';

const set = { revision: 3, digits: [0, 1, 2, 3, 4, 5].map((i) => storedDigit(i)) }; // even: score, odd: fine-tune

describe('fineTuneJob', () => {
  it('mixes in the fine-tune digits only, never the score ones, and starts from the parent', () => {
    const parent = makeRecord('p1', { name: 'Classic', seed: 42, testAccuracy: 0.9, testCount: 10_000 });
    const job = fineTuneJob(parent, { runId: 'p1' }, set);
    expect(job.fineTune?.digits.map((d) => d.label)).toEqual([1, 3, 5]);
    expect(job.fineTune?.parent).toEqual({
      runId: 'p1',
      name: 'Classic',
      mixRatio: 0.25,
      trainedOn: ['d-1', 'd-3', 'd-5'],
      testAccuracy: 0.9,
      testCount: 10_000,
    });
    expect(job.hyperparams).toEqual({ ...parent.hyperparams, budgetUnit: 'iterations', budget: 300, seed: 42 });
    expect(job.name).toBe('Classic + my digits');
    expect(job.testLimit).toBeUndefined();
  });

  it('takes the person’s iterations, learning rate, mix and name; scores on the test images the parent was scored on', () => {
    const parent = makeRecord('p1', { testCount: 500 });
    const job = fineTuneJob(parent, { runId: 'p1', iterations: 50, learningRate: 0.0005, mixRatio: 0.5, name: ' Mine ' }, set);
    expect(job).toMatchObject({ name: 'Mine', testLimit: 500, hyperparams: { budget: 50, learningRate: 0.0005 } });
    expect(job.fineTune?.parent.mixRatio).toBe(0.5);
  });

  it('keeps the digits the parent learnt from among those never scored', () => {
    const parent = makeRecord('p2', {
      parent: { runId: 'p1', name: 'x', mixRatio: 0.25, trainedOn: ['d-old', 'd-1'], testAccuracy: null, testCount: null },
    });
    expect(fineTuneJob(parent, { runId: 'p2' }, set).fineTune?.parent.trainedOn).toEqual(['d-old', 'd-1', 'd-3', 'd-5']);
  });

  it('refuses a set without fine-tune digits, saying what to do', () => {
    const parent = makeRecord('p1');
    expect(() => fineTuneJob(parent, { runId: 'p1' }, { revision: 0, digits: [] })).toThrow(/save some under the drawing pad/);
    const scoreOnly = { revision: 1, digits: [storedDigit(0), storedDigit(2)] };
    expect(() => fineTuneJob(parent, { runId: 'p1' }, scoreOnly)).toThrow(/move some of your digits to the fine-tune part/);
  });
});
