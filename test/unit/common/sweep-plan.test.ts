/**
 * Sweep plans expand as specified: the grid is the Cartesian product of the lists times the
 * seeds, the random search draws within its ranges and repeats with its seed, and a plan that
 * cannot run is refused with every reason in words. Property tests over random plans.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMS } from '../../../common/api';
import { MAX_TRIALS, SweepPlanSchema } from '../../../common/sweep';
import type { SweepPlan, SweepPlanInput } from '../../../common/sweep';
import { expandPlan, rungFractions, rungIterations } from '../../../common/sweep-plan';

const plan = (input: Partial<SweepPlanInput>): SweepPlan => SweepPlanSchema.parse({ base: {}, vary: {}, ...input });
const unique = <T>(xs: T[]) => [...new Set(xs)];

const unitsList = fc.uniqueArray(fc.integer({ min: 1, max: 1024 }), { minLength: 1, maxLength: 4 });
const rateList = fc.uniqueArray(fc.constantFrom(0.0001, 0.0003, 0.001, 0.003, 0.01, 0.1), { minLength: 1, maxLength: 4 });
const cellList = fc.uniqueArray(fc.constantFrom('lstm', 'gru', 'rnn'), { minLength: 1, maxLength: 3 });

describe('grid plans', () => {
  it('expand to the product of the lists, each configuration once per seed, seeds first + 0 … first + S − 1', () => {
    fc.assert(
      fc.property(
        unitsList,
        rateList,
        cellList,
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 0, max: 1000 })),
        (units, rates, cells, seeds, seed) => {
          const result = expandPlan(
            plan({
              base: { seed },
              vary: {
                units: { mode: 'list', values: units },
                learningRate: { mode: 'list', values: rates },
                cell: { mode: 'list', values: cells },
              },
              seedsPerConfig: seeds,
            }),
          );
          if (!result.ok) throw new Error(result.problems.join(' '));
          expect(result.configs).toHaveLength(units.length * rates.length * cells.length);
          expect(result.trials).toHaveLength(result.configs.length * seeds);
          const keys = result.configs.map((c) => `${c.cell}/${c.units}/${c.learningRate}`);
          expect(unique(keys)).toHaveLength(keys.length);
          for (const u of units) for (const r of rates) for (const c of cells) expect(keys).toContain(`${c}/${u}/${r}`);
          result.trials.forEach((trial, i) => {
            expect(trial.configIndex).toBe(Math.floor(i / seeds));
            expect(trial.hyperparams.seed).toBe((seed ?? 1) + (i % seeds));
            expect({ ...trial.hyperparams, seed: null }).toEqual(result.configs[trial.configIndex]);
            expect(trial.hyperparams.batchSize).toBe(DEFAULT_HYPERPARAMS.batchSize); // fixed fields keep the base value
          });
          expect(result.varied).toEqual(['cell', 'units', 'learningRate']);
        },
      ),
    );
  });

  it('refuse ranges (a grid needs lists), values the field refuses, repeated values, and nothing varied', () => {
    const result = expandPlan(
      plan({
        vary: {
          units: { mode: 'range', min: 8, max: 64 },
          layers: { mode: 'list', values: [1, 9] },
          dropout: { mode: 'list', values: [0.1, 0.1] },
        },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/units: a grid search needs a list/);
    expect(result.problems.join('\n')).toMatch(/layers value 2: .*4/);
    expect(result.problems.join('\n')).toMatch(/dropout: a value is listed twice/);
    const nothing = expandPlan(plan({}));
    expect(nothing.ok || nothing.problems[0]).toMatch(/Nothing varies/);
    expect(expandPlan(plan({ seedsPerConfig: 3 })).ok).toBe(true); // one configuration, three seeds: a seed study
  });

  it(`refuse more than ${MAX_TRIALS} trials, saying how many`, () => {
    const values = Array.from({ length: 30 }, (_, i) => i + 1);
    const result = expandPlan(
      plan({ vary: { units: { mode: 'list', values }, layers: { mode: 'list', values: [1, 2, 3, 4] } }, seedsPerConfig: 5 }),
    );
    expect(result.ok || result.problems[0]).toMatch(/600 trials \(120 configurations × 5 seeds\) is more than 500/);
  });

  it('refuse a choice as a range, a text where a number belongs, and a cell that does not exist', () => {
    const result = expandPlan(
      plan({
        strategy: 'random',
        vary: {
          optimizer: { mode: 'range', min: 0, max: 1 },
          units: { mode: 'list', values: ['many'] },
          cell: { mode: 'list', values: ['lstm', 'transformer'] },
        },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringMatching(/^cell value 2: /),
      expect.stringMatching(/^units value 1: /),
      'optimizer: a choice takes a list of values, not a range.',
    ]);
  });
});

describe('random plans', () => {
  const arbitraryRandomPlan = fc.record({
    samples: fc.integer({ min: 1, max: 30 }),
    sweepSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    unitsMin: fc.integer({ min: 1, max: 512 }),
    unitsSpan: fc.integer({ min: 0, max: 512 }),
    rateMin: fc.double({ min: 1e-5, max: 0.01, noNaN: true }),
    rateFactor: fc.double({ min: 1, max: 1000, noNaN: true }),
    isLog: fc.boolean(),
  });

  it('draw distinct configurations within each range (whole numbers for units), at most `samples`, the same for the same seed', () => {
    fc.assert(
      fc.property(arbitraryRandomPlan, ({ samples, sweepSeed, unitsMin, unitsSpan, rateMin, rateFactor, isLog }) => {
        const rateMax = Math.min(10, rateMin * rateFactor);
        const p = plan({
          strategy: 'random',
          samples,
          sweepSeed,
          vary: {
            units: { mode: 'range', min: unitsMin, max: unitsMin + unitsSpan, scale: isLog ? 'log' : 'linear' },
            learningRate: { mode: 'range', min: rateMin, max: rateMax, scale: isLog ? 'log' : 'linear' },
            optimizer: { mode: 'list', values: ['adam', 'sgd'] },
          },
        });
        const result = expandPlan(p);
        if (!result.ok) throw new Error(result.problems.join(' '));
        expect(result.configs.length).toBeGreaterThan(0);
        expect(result.configs.length).toBeLessThanOrEqual(samples);
        expect(unique(result.configs.map((c) => JSON.stringify(c)))).toHaveLength(result.configs.length);
        for (const c of result.configs) {
          expect(Number.isInteger(c.units)).toBe(true);
          expect(c.units).toBeGreaterThanOrEqual(unitsMin);
          expect(c.units).toBeLessThanOrEqual(unitsMin + unitsSpan);
          // Rounded to three significant digits, so allow that much either side.
          expect(c.learningRate).toBeGreaterThanOrEqual(rateMin * 0.995);
          expect(c.learningRate).toBeLessThanOrEqual(rateMax * 1.005);
          expect(['adam', 'sgd']).toContain(c.optimizer);
        }
        expect(expandPlan(p)).toEqual(result);
      }),
      { numRuns: 200 },
    );
  });

  it('draw a log range evenly over its decades, and refuse a log range from 0', () => {
    const p = plan({ strategy: 'random', samples: 400, vary: { learningRate: { mode: 'range', min: 0.0001, max: 0.1, scale: 'log' } } });
    const result = expandPlan(p);
    if (!result.ok) throw new Error(result.problems.join(' '));
    const decades = [0, 0, 0];
    for (const c of result.configs) decades[Math.min(2, Math.floor(Math.log10(c.learningRate / 0.0001)))]++;
    for (const n of decades) expect(n).toBeGreaterThan(result.configs.length / 5);
    const zero = expandPlan(plan({ strategy: 'random', vary: { dropout: { mode: 'range', min: 0, max: 0.5, scale: 'log' } } }));
    expect(zero.ok || zero.problems[0]).toMatch(/log scale needs a minimum above 0/);
    const backwards = expandPlan(plan({ strategy: 'random', vary: { dropout: { mode: 'range', min: 0.5, max: 0.1 } } }));
    expect(backwards.ok || backwards.problems[0]).toMatch(/minimum 0.5 is above the maximum 0.1/);
  });
});

describe('rungs', () => {
  it('sit at budget / η^k, moved up to the next validation pass, never at the last iteration', () => {
    expect(rungFractions({ reductionFactor: 3, rungs: 2 })).toEqual([1 / 9, 1 / 3]);
    expect(rungIterations(800, 100, { reductionFactor: 3, rungs: 2 })).toEqual([100, 300]);
    expect(rungIterations(800, 10, { reductionFactor: 3, rungs: 2 })).toEqual([90, 270]);
    expect(rungIterations(800, 800, { reductionFactor: 3, rungs: 2 })).toEqual([]);
    expect(rungIterations(800, 100, null)).toEqual([]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (total, interval, eta, rungs) => {
          const at = rungIterations(total, interval, { reductionFactor: eta, rungs });
          expect(at.length).toBeLessThanOrEqual(rungs);
          expect([...at].sort((a, b) => a - b)).toEqual(at);
          for (const it of at) {
            expect(it % interval).toBe(0);
            expect(it).toBeLessThan(total);
          }
        },
      ),
    );
  });

  it('are refused when early stopping has no validation to decide on', () => {
    const noValidation = expandPlan(
      plan({ base: { validationInterval: 0 }, vary: { units: { mode: 'list', values: [8, 16] } }, earlyStopping: {} }),
    );
    expect(noValidation.ok || noValidation.problems[0]).toMatch(/set a validation interval above 0/);
    const tooRare = expandPlan(
      plan({ base: { budget: 100, validationInterval: 100 }, vary: { units: { mode: 'list', values: [8, 16] } }, earlyStopping: {} }),
    );
    expect(tooRare.ok || tooRare.problems[0]).toMatch(/no rung before the end/);
  });
});
