import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMS, HyperparamsSchema } from '../../../common/api';
import { SWEEPABLE_FIELDS } from '../../../common/sweep';
import { expandPlan } from '../../../common/sweep-plan';
import { parseRedisUrl } from '../../../common/redis-url';
import {
  checkSweepForm,
  isChoiceField,
  LIST_EXAMPLES,
  MAX_SWEEP_SEED,
  mergeStoredForm,
  nextDrawSeed,
  planKeyOf,
  storableForm,
  SWEEP_FIELD_ORDER,
  sweepFormFrom,
  type SweepFormValues,
} from '../../../renderer/src/lib/sweep-form';

const fresh = () => sweepFormFrom({ ...DEFAULT_HYPERPARAMS, budget: 20, validationInterval: 10 });

/** A form varying units over `list`, with `seeds` seeds. */
function unitsForm(list: string, seeds = '1'): SweepFormValues {
  const values = fresh();
  values.vary.units = { ...values.vary.units, mode: 'list', list };
  values.seedsPerConfig = seeds;
  return values;
}

describe('checkSweepForm', () => {
  it('builds a grid plan from a list and counts configurations × seeds', () => {
    const check = checkSweepForm(unitsForm('8, 16', '2'));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.plan.vary.units).toEqual({ mode: 'list', values: [8, 16] });
    expect(check.plan.strategy).toBe('grid');
    expect(check.plan.seedsPerConfig).toBe(2);
    expect(check.plan.base.budget).toBe(20);
    expect([check.configCount, check.trialCount]).toEqual([2, 4]);
  });

  it('reads a list separated by spaces, commas or semicolons', () => {
    const check = checkSweepForm(unitsForm(' 8 16,32; 64 '));
    expect(check.ok && check.plan.vary.units).toEqual({ mode: 'list', values: [8, 16, 32, 64] });
  });

  it('explains a list value the hyperparameter refuses, beside its field', () => {
    const check = checkSweepForm(unitsForm('8, 0'));
    expect(check.ok).toBe(false);
    expect(check.errors['vary.units']).toBe('Value 2: Must be at least 1.');
    expect(checkSweepForm(unitsForm('8, lots')).errors['vary.units']).toMatch(/“lots” is not a number/);
    expect(checkSweepForm(unitsForm('  ')).errors['vary.units']).toMatch(/at least one value/);
  });

  it('puts a field’s plan-level problem (a value listed twice) beside that field', () => {
    const check = checkSweepForm(unitsForm('8, 8'));
    expect(check.ok).toBe(false);
    expect(check.errors['vary.units']).toBe('A value is listed twice.');
    expect(check.problems).toEqual([]);
  });

  it('says when nothing varies, as a problem of the whole plan', () => {
    const check = checkSweepForm(fresh());
    expect(check.ok).toBe(false);
    expect(check.problems[0]).toMatch(/Nothing varies/);
  });

  it('accepts one configuration with several seeds', () => {
    const values = fresh();
    values.seedsPerConfig = '3';
    const check = checkSweepForm(values);
    expect(check.ok && check.trialCount).toBe(3);
  });

  it('takes choices from the ticked options and offers no range for them', () => {
    const values = fresh();
    values.vary.cell = { ...values.vary.cell, mode: 'list', choices: ['lstm', 'gru'] };
    const check = checkSweepForm(values);
    expect(check.ok && check.plan.vary.cell).toEqual({ mode: 'list', values: ['lstm', 'gru'] });
    values.vary.cell.choices = [];
    expect(checkSweepForm(values).errors['vary.cell']).toMatch(/Tick at least one/);
  });

  it('samples a log-scale learning-rate range in a random search', () => {
    const values = fresh();
    values.strategy = 'random';
    values.samples = '5';
    values.vary.learningRate = { ...values.vary.learningRate, mode: 'range', min: '1e-4', max: '1e-2', isLog: true };
    const check = checkSweepForm(values);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.plan.vary.learningRate).toEqual({ mode: 'range', min: 1e-4, max: 1e-2, scale: 'log' });
    expect(check.plan.samples).toBe(5);
    expect(check.trialCount).toBe(5);
  });

  it('refuses a range in a grid search, beside the field', () => {
    const values = fresh();
    values.vary.units = { ...values.vary.units, mode: 'range', min: '8', max: '64' };
    expect(checkSweepForm(values).errors['vary.units']).toMatch(/grid search needs a list/);
  });

  it('keeps the log scale to the learning rate', () => {
    const values = fresh();
    values.strategy = 'random';
    values.vary.units = { ...values.vary.units, mode: 'range', min: '8', max: '64', isLog: true };
    const check = checkSweepForm(values);
    expect(check.ok && check.plan.vary.units).toEqual({ mode: 'range', min: 8, max: 64, scale: 'linear' });
  });

  it('checks the number of samples and of seeds', () => {
    const values = unitsForm('8, 16', '11');
    values.strategy = 'random';
    values.samples = '0';
    const check = checkSweepForm(values);
    expect(check.errors.samples).toMatch(/1 to 500/);
    expect(check.errors.seedsPerConfig).toMatch(/1 to 10/);
  });

  it('puts the draw seed in a random plan, and the same seed draws the same configurations', () => {
    const values = fresh();
    values.strategy = 'random';
    values.samples = '4';
    values.vary.learningRate = { ...values.vary.learningRate, mode: 'range', min: '1e-4', max: '1e-2', isLog: true };
    values.sweepSeed = '42';
    const configsOf = (seed: string) => {
      const check = checkSweepForm({ ...values, sweepSeed: seed });
      if (!check.ok) throw new Error(`expected a plan, got ${JSON.stringify(check.errors)}`);
      expect(check.plan.sweepSeed).toBe(Number(seed));
      const expansion = expandPlan(check.plan);
      return expansion.ok ? expansion.configs : [];
    };
    expect(configsOf('42')).toHaveLength(4);
    expect(configsOf('42')).toEqual(configsOf('42'));
    expect(configsOf('43')).not.toEqual(configsOf('42'));
  });

  it('checks the draw seed only in a random search', () => {
    const values = unitsForm('8, 16');
    values.strategy = 'random';
    for (const bad of ['', '-1', '1.5', 'seven', String(MAX_SWEEP_SEED + 1)]) {
      values.sweepSeed = bad;
      expect(checkSweepForm(values).errors.sweepSeed, bad).toMatch(/0 to 2147483647/);
    }
    values.sweepSeed = '0';
    expect(checkSweepForm(values).ok).toBe(true);
    values.strategy = 'grid';
    values.sweepSeed = 'seven';
    const grid = checkSweepForm(values);
    expect(grid.ok && grid.plan.sweepSeed).toBe(1); // the schema's default: a grid draws nothing
  });

  it('files a bad base value under its field, but ignores the hidden box of a varied field', () => {
    const values = unitsForm('8, 16');
    values.base = { ...values.base, budget: '0', units: 'oops' };
    const check = checkSweepForm(values);
    expect(check.errors['base.budget']).toBe('Must be at least 1.');
    expect(check.errors['base.units']).toBeUndefined();
  });

  it('adds early stopping with η and rungs, and says when it has no rung before the end', () => {
    const values = unitsForm('8, 16');
    values.isEarlyStopping = true;
    values.reductionFactor = '2';
    values.rungs = '1';
    const check = checkSweepForm(values);
    expect(check.ok && check.plan.earlyStopping).toEqual({ reductionFactor: 2, rungs: 1 });
    values.base = { ...values.base, validationInterval: '0' };
    expect(checkSweepForm(values).problems[0]).toMatch(/validation interval above 0/);
  });

  it('names the plan only when a name is given', () => {
    const values = unitsForm('8, 16');
    expect(checkSweepForm(values).ok && 'name' in (checkSweepForm(values) as { plan: object }).plan).toBe(false);
    values.name = '  Units  ';
    const check = checkSweepForm(values);
    expect(check.ok && check.plan.name).toBe('Units');
  });
});

describe('augmentation in a sweep', () => {
  it('varies rotation over a list and samples the elastic warp from a range', () => {
    const values = fresh();
    values.strategy = 'random';
    values.samples = '3';
    values.vary.rotation = { ...values.vary.rotation, mode: 'list', list: '0, 10, 20' };
    values.vary.elastic = { ...values.vary.elastic, mode: 'range', min: '0', max: '2' };
    const check = checkSweepForm(values);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.plan.vary.rotation).toEqual({ mode: 'list', values: [0, 10, 20] });
    expect(check.plan.vary.elastic).toEqual({ mode: 'range', min: 0, max: 2, scale: 'linear' });
  });

  it('explains an augmentation value beyond its bound, beside its field', () => {
    const values = fresh();
    values.vary.rotation = { ...values.vary.rotation, mode: 'list', list: '10, 60' };
    values.vary.aspect = { ...values.vary.aspect, mode: 'list', list: '0.1, 0.6' };
    const check = checkSweepForm(values);
    expect(check.errors['vary.rotation']).toBe('Value 2: Must be at most 45.');
    expect(check.errors['vary.aspect']).toBe('Value 2: Must be at most 0.5.');
  });

  it('gives every trial a fixed augmentation value from the base', () => {
    const values = unitsForm('8, 16');
    values.base = { ...values.base, shear: '12' };
    const check = checkSweepForm(values);
    expect(check.ok && check.plan.base.shear).toBe(12);
    values.base = { ...values.base, shear: '50' };
    expect(checkSweepForm(values).errors['base.shear']).toBe('Must be at most 45.');
  });

  it('keeps the defaults (off) for the augmentation of a form stored before it existed', () => {
    const stored: Record<string, unknown> = JSON.parse(JSON.stringify(unitsForm('8, 16')));
    const base = stored.base as Record<string, unknown>;
    const vary = stored.vary as Record<string, unknown>;
    for (const field of ['rotation', 'shear', 'aspect', 'thickness', 'elastic']) {
      delete base[field];
      delete vary[field];
    }
    const merged = mergeStoredForm(stored, fresh());
    expect(merged.base.rotation).toBe('0');
    expect(merged.vary.elastic.mode).toBe('fixed');
    expect(checkSweepForm(merged).ok).toBe(true);
  });
});

describe('LIST_EXAMPLES', () => {
  it('suggests, for every numeric field, values its schema accepts', () => {
    for (const field of SWEEPABLE_FIELDS.filter((f) => !isChoiceField(f))) {
      const values = LIST_EXAMPLES[field].split(', ').map(Number);
      expect(values.length, field).toBeGreaterThan(1);
      for (const value of values) expect(HyperparamsSchema.shape[field].safeParse(value).success, `${field} ${value}`).toBe(true);
    }
  });
});

describe('nextDrawSeed', () => {
  it('picks a seed from 1 to the largest the plan takes', () => {
    expect(nextDrawSeed('', () => 0)).toBe('1');
    expect(nextDrawSeed('5', () => 0)).toBe('1');
    expect(nextDrawSeed('5', () => 0.999999999999)).toBe(String(MAX_SWEEP_SEED));
  });

  it('never picks the seed already on screen', () => {
    expect(nextDrawSeed('1', () => 0)).toBe('2');
    expect(nextDrawSeed(String(MAX_SWEEP_SEED), () => 0.999999999999)).toBe('1');
  });
});

describe('SWEEP_FIELD_ORDER', () => {
  it('lists every sweepable field once, in the training form’s order', () => {
    expect(SWEEP_FIELD_ORDER).toEqual([
      'cell',
      'units',
      'layers',
      'forgetBias',
      'dropout',
      'optimizer',
      'learningRate',
      'batchSize',
      'rotation',
      'shear',
      'aspect',
      'thickness',
      'elastic',
    ]);
  });
});

describe('mergeStoredForm', () => {
  it('restores a stored form', () => {
    const stored = unitsForm('8, 16', '2');
    expect(mergeStoredForm(JSON.parse(JSON.stringify(stored)), fresh())).toEqual(stored);
  });

  it('keeps the fallback for anything missing, mistyped or no longer an option', () => {
    const fallback = fresh();
    const merged = mergeStoredForm(
      {
        strategy: 'bayesian',
        seedsPerConfig: 3,
        sweepSeed: 7,
        vary: { cell: { mode: 'range', choices: ['lstm', 'tcn'] } },
        base: { units: 64 },
      },
      fallback,
    );
    expect(merged.strategy).toBe('grid');
    expect(merged.seedsPerConfig).toBe(fallback.seedsPerConfig);
    expect(merged.sweepSeed).toBe('1');
    expect(merged.vary.cell.mode).toBe('fixed');
    expect(merged.vary.cell.choices).toEqual(['lstm']);
    expect(merged.base.units).toBe(fallback.base.units);
    expect(mergeStoredForm('nonsense', fallback)).toBe(fallback);
    expect(mergeStoredForm({ base: { ...fallback.base, cell: 'tcn' } }, fallback).base).toEqual(fallback.base);
  });
});

describe('running on workers', () => {
  it('puts the Redis URL in the plan only when the trials run on workers', () => {
    const values = unitsForm('8, 16');
    values.queueUrl = 'redis://:secret@lab:6379/0';
    const local = checkSweepForm(values);
    expect(local.ok && local.plan.queue).toBeUndefined();
    values.where = 'workers';
    const onWorkers = checkSweepForm(values);
    expect(onWorkers.ok && onWorkers.plan.queue).toEqual({ url: 'redis://:secret@lab:6379/0' });
  });

  it('explains a Redis URL it cannot use, beside the field, without repeating the password', () => {
    const values = { ...unitsForm('8, 16'), where: 'workers' as const };
    for (const [url, message] of [
      ['', /Enter the Redis URL/],
      ['lab:6379', /starts with redis:\/\//],
      ['redis://:secret@lab:70000/0', /port/],
    ] as const) {
      const check = checkSweepForm({ ...values, queueUrl: url });
      expect(check.ok).toBe(false);
      expect(check.errors.queueUrl).toMatch(message);
      expect(check.errors.queueUrl).not.toContain('secret');
    }
  });

  it('asks for one estimate wherever the trials run: the plan key leaves the URL out', () => {
    const values = { ...unitsForm('8, 16'), where: 'workers' as const, queueUrl: 'redis://a:6379/0' };
    const a = checkSweepForm(values);
    const b = checkSweepForm({ ...values, queueUrl: 'redis://b:6379/1' });
    const local = checkSweepForm({ ...values, where: 'local' });
    if (!a.ok || !b.ok || !local.ok) throw new Error('expected valid plans');
    expect(planKeyOf(a.plan)).toBe(planKeyOf(b.plan));
    expect(planKeyOf(a.plan)).toBe(planKeyOf(local.plan));
  });

  it('puts the Password field into the URL, any character kept, and refuses a password in both', () => {
    const values = { ...unitsForm('8'), where: 'workers' as const, queueUrl: 'redis://studio@lab:6380/2', queuePassword: 'p@ss:w/rd%41 é' };
    const check = checkSweepForm(values);
    if (!check.ok || !check.plan.queue) throw new Error('expected a plan on workers');
    const target = parseRedisUrl(check.plan.queue.url);
    expect(target.ok && [target.target.username, target.target.password, target.target.port, target.target.db]).toEqual([
      'studio',
      'p@ss:w/rd%41 é',
      6380,
      2,
    ]);
    const twice = checkSweepForm({ ...values, queueUrl: 'redis://:other@lab:6379/0' });
    expect(twice.ok).toBe(false);
    expect(twice.errors.queuePassword).toMatch(/holds a password already/);
    expect(twice.errors.queuePassword).not.toContain('other');
    // A bad URL is the URL field's problem, whatever the password.
    expect(checkSweepForm({ ...values, queueUrl: 'lab:6379' }).errors).toMatchObject({ queueUrl: expect.stringMatching(/redis:\/\//) });
  });

  it('never remembers the Password field', () => {
    const values = { ...unitsForm('8'), where: 'workers' as const, queueUrl: 'redis://lab:6379/0', queuePassword: 'hunter2' };
    expect(storableForm(values).queuePassword).toBe('');
    expect(JSON.stringify(storableForm(values))).not.toContain('hunter2');
    expect(mergeStoredForm({ ...values }, fresh()).queuePassword).toBe('');
  });

  it('remembers the URL without its password, and restores where the trials run', () => {
    const values = { ...unitsForm('8'), where: 'workers' as const, queueUrl: 'redis://studio:secret@lab:6380/2' };
    const stored = storableForm(values);
    expect(stored.queueUrl).toBe('redis://studio:@lab:6380/2');
    expect(JSON.stringify(stored)).not.toContain('secret');
    expect(storableForm({ ...values, queueUrl: 'redis://lab:6379/0' }).queueUrl).toBe('redis://lab:6379/0');
    expect(storableForm({ ...values, queueUrl: 'redis://:secret@lab:0' }).queueUrl).toBe('');
    const restored = mergeStoredForm(JSON.parse(JSON.stringify(stored)), fresh());
    expect(restored).toMatchObject({ where: 'workers', queueUrl: 'redis://studio:@lab:6380/2' });
    expect(mergeStoredForm({ where: 'cloud' }, fresh()).where).toBe('local');
  });
});
