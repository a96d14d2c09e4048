import { describe, expect, it } from 'vitest';
import { AUGMENTATION_FIELDS } from '../../../common/augment';
import { DEFAULT_HYPERPARAMS, HyperparamsSchema } from '../../../common/api';
import { AUGMENTATION_GROUP, FIELD_GROUPS } from '../../../renderer/src/lib/fields';
import {
  matchingPreset,
  NUMERIC_FIELDS,
  PRESETS,
  totalIterations,
  validateForm,
  valuesFromHyperparams,
} from '../../../renderer/src/lib/form';

const defaults = () => valuesFromHyperparams(DEFAULT_HYPERPARAMS);

describe('validateForm', () => {
  it('accepts the defaults and returns exactly the default hyperparameters', () => {
    const v = validateForm(defaults());
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.request).toEqual({ hyperparams: DEFAULT_HYPERPARAMS });
  });

  it('reads a blank seed as "random" (null) and a number as that seed', () => {
    const blank = validateForm({ ...defaults(), seed: '  ' });
    const fixed = validateForm({ ...defaults(), seed: '42' });
    expect(blank.ok && blank.request.hyperparams.seed).toBeNull();
    expect(fixed.ok && fixed.request.hyperparams.seed).toBe(42);
  });

  it('accepts scientific notation for the learning rate', () => {
    const v = validateForm({ ...defaults(), learningRate: '1e-3' });
    expect(v.ok && v.request.hyperparams.learningRate).toBe(0.001);
  });

  it('explains an empty required field', () => {
    expect(validateForm({ ...defaults(), units: '' }).errors.units).toBe('Required.');
  });

  it('explains text that is not a number', () => {
    expect(validateForm({ ...defaults(), batchSize: 'lots' }).errors.batchSize).toMatch(/not a number/);
  });

  it('explains values out of range using the schema’s bounds', () => {
    const v = validateForm({ ...defaults(), units: '0', layers: '9', learningRate: '0', dropout: '0.95' });
    expect(v.ok).toBe(false);
    expect(v.errors.units).toBe('Must be at least 1.');
    expect(v.errors.layers).toBe('Must be at most 4.');
    expect(v.errors.learningRate).toBe('Must be greater than 0.');
    expect(v.errors.dropout).toBe('Must be at most 0.9.');
  });

  it('asks for whole numbers where the schema wants integers', () => {
    expect(validateForm({ ...defaults(), budget: '2.5' }).errors.budget).toBe('Must be a whole number.');
  });

  it('passes a trimmed run name along and limits its length', () => {
    const named = validateForm({ ...defaults(), name: '  my run ' });
    expect(named.ok && named.request.name).toBe('my run');
    expect(validateForm({ ...defaults(), name: 'x'.repeat(201) }).errors.name).toBeDefined();
  });
});

describe('augmentation fields', () => {
  const augmented = { ...DEFAULT_HYPERPARAMS, rotation: 12.5, shear: 10, aspect: 0.15, thickness: 0.75, elastic: 2 };

  it('are off at the defaults', () => {
    const values = defaults();
    expect(AUGMENTATION_FIELDS.map((field) => values[field])).toEqual(['0', '0', '0', '0', '0']);
  });

  it('round-trip through the form’s text', () => {
    const v = validateForm(valuesFromHyperparams(augmented));
    expect(v.ok && v.request.hyperparams).toEqual(augmented);
  });

  it('are entered as numbers and checked by the schema', () => {
    for (const field of AUGMENTATION_FIELDS) expect(NUMERIC_FIELDS).toContain(field);
    const v = validateForm({ ...defaults(), rotation: '46', shear: '-1', aspect: '0.6', thickness: 'thick', elastic: '' });
    expect(v.ok).toBe(false);
    expect(v.errors).toEqual({
      rotation: 'Must be at most 45.',
      shear: 'Must be at least 0.',
      aspect: 'Must be at most 0.5.',
      thickness: '“thick” is not a number.',
      elastic: 'Required.',
    });
    expect(validateForm({ ...defaults(), thickness: '2.5' }).errors.thickness).toBe('Must be at most 2.');
    expect(validateForm({ ...defaults(), elastic: '4.01' }).errors.elastic).toBe('Must be at most 4.');
  });

  it('form one group whose inputs take exactly the schema’s range', () => {
    const group = FIELD_GROUPS.find((g) => g.title === AUGMENTATION_GROUP);
    expect(group?.fields.map((f) => f.name)).toEqual([...AUGMENTATION_FIELDS]);
    for (const spec of group?.fields ?? []) {
      if (spec.kind.type !== 'number') throw new Error(`${spec.name} is not a number input`);
      const schema = HyperparamsSchema.shape[spec.name as (typeof AUGMENTATION_FIELDS)[number]];
      expect(schema.safeParse(spec.kind.min).success && schema.safeParse(spec.kind.max).success, spec.name).toBe(true);
      expect(schema.safeParse(spec.kind.min - 0.001).success || schema.safeParse(spec.kind.max + 0.001).success, spec.name).toBe(false);
      expect(spec.help.length, spec.name).toBeGreaterThan(20);
    }
  });

  it('leave the classic preset matched only while all are 0', () => {
    expect(matchingPreset(defaults())).toBe('classic');
    expect(matchingPreset({ ...defaults(), rotation: '0.0' })).toBe('classic');
    expect(matchingPreset({ ...defaults(), rotation: '10' })).toBeNull();
    expect(matchingPreset(valuesFromHyperparams(augmented))).toBeNull();
  });
});

describe('presets', () => {
  it('makes the classic preset exactly the defaults', () => {
    expect(PRESETS.find((p) => p.id === 'classic')?.hyperparams).toEqual(DEFAULT_HYPERPARAMS);
  });

  it('offers "Robust for drawing" as the measured ten epochs, without augmentation', () => {
    const drawing = PRESETS.find((p) => p.id === 'drawing')!;
    expect(drawing.hyperparams).toMatchObject({ budgetUnit: 'epochs', budget: 10, rotation: 0, elastic: 0, units: 128 });
    expect(matchingPreset(valuesFromHyperparams(drawing.hyperparams))).toBe('drawing');
  });

  it('gives presets that all pass validation', () => {
    for (const preset of PRESETS) expect(validateForm(valuesFromHyperparams(preset.hyperparams)).ok).toBe(true);
  });

  it('recognises which preset the form shows, ignoring the name', () => {
    expect(matchingPreset({ ...defaults(), name: 'anything' })).toBe('classic');
    const quick = PRESETS.find((p) => p.id === 'quick')!;
    expect(matchingPreset(valuesFromHyperparams(quick.hyperparams))).toBe('quick');
    expect(matchingPreset({ ...defaults(), units: '64' })).toBeNull();
  });
});

describe('totalIterations', () => {
  it('is the budget when counted in iterations', () => {
    expect(totalIterations({ budgetUnit: 'iterations', budget: 800, batchSize: 128 })).toBe(800);
  });

  it('counts a partial last batch per epoch', () => {
    expect(totalIterations({ budgetUnit: 'epochs', budget: 5, batchSize: 128 })).toBe(5 * 430);
  });
});
