/**
 * Property-based fuzzing of `npm run train`'s parser (main/cli/args.ts): random argv arrays —
 * known and unknown flags, `=`-joined values, prototype keys as flags, unicode, huge and
 * non-finite numbers — never throw, and give either a usable error message or a request that
 * the app's own StartRequestSchema accepts. Valid argv built from the schema bounds must train.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAIN_FLAGS, parseTrainArgs } from '../../../main/cli/args';
import type { ParsedArgs } from '../../../main/cli/args';
import { HyperparamsSchema, StartRequestSchema } from '../../../common/api';
import { PROTO_KEYS, prototypeSnapshot } from './hostile';
import { fieldArbitraries } from './schema-arbitraries';

const RUNS = 2_000;
const FLAGS = Object.keys(TRAIN_FLAGS);
const BACKENDS = ['tensorflow', 'wasm', 'cpu'];
const prototypesBefore = prototypeSnapshot();
let casesRun = 0;
/** How the random argv parsed: proof the random case reaches every outcome, not only errors. */
const kinds = new Map<ParsedArgs['kind'], number>();

/** Flag names: ours, near misses, prototype keys, Node's own conventions and garbage. */
const flagName = fc.oneof(
  { arbitrary: fc.constantFrom(...FLAGS), weight: 6 },
  { arbitrary: fc.constantFrom(...PROTO_KEYS, 'no-json', 'Units', 'unit', 'lr ', 'help=1', 'iterations=', ''), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
);

/** Values: in-range numbers, boundary and non-finite spellings, unicode, empty, huge. */
const flagValue = fc.oneof(
  fc.integer({ min: -10, max: 5_000 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '',
    ' ',
    '-0',
    '0',
    '1e400',
    '-1e400',
    'NaN',
    'Infinity',
    '0x10',
    '1_000',
    '9'.repeat(400),
    '0.001',
    'lstm',
    'gru',
    'adam',
    'wasm',
    'cpu',
    'true',
    '=',
    '--',
    '-',
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** One argv group: `--flag value`, `--flag=value`, a bare `--flag`, a short flag or a positional. */
const argGroup: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(flagName, flagValue).map(([flag, value]) => [`--${flag}`, value]),
  fc.tuple(flagName, flagValue).map(([flag, value]) => [`--${flag}=${value}`]),
  flagName.map((flag) => [`--${flag}`]),
  fc.tuple(fc.constantFrom('-', '-h', '-x', '-u', '---units'), flagValue).map(([flag, value]) => [flag, value]),
  flagValue.map((value) => [value]),
);

const argv = fc.array(argGroup, { maxLength: 12 }).map((groups) => groups.flat());

/** The contract every parse result meets, whatever went in. */
function expectWellFormed(result: ParsedArgs): void {
  if (result.kind === 'help') return;
  if (result.kind === 'error') {
    expect(typeof result.message).toBe('string');
    expect(result.message.trim().length).toBeGreaterThan(0);
    return;
  }
  expect(result.kind).toBe('train');
  expect(StartRequestSchema.safeParse(result.options.request).success).toBe(true);
  expect(result.options.backend === undefined || BACKENDS.includes(result.options.backend)).toBe(true);
  expect(typeof result.options.isJson).toBe('boolean');
}

/** The hyperparameter behind each numeric or enum flag, and how it lands in the request. */
const FLAG_FIELDS = {
  iterations: 'budget',
  cell: 'cell',
  units: 'units',
  layers: 'layers',
  'forget-bias': 'forgetBias',
  lr: 'learningRate',
  optimizer: 'optimizer',
  batch: 'batchSize',
  'validation-interval': 'validationInterval',
  dropout: 'dropout',
  seed: 'seed',
} as const satisfies Record<string, keyof typeof HyperparamsSchema.shape>;

/** Valid flags only, each value drawn from its schema's own bounds, `=`-joined so "-5" stays a value. */
const validArgv = fc.record(
  Object.fromEntries(Object.entries(FLAG_FIELDS).map(([flag, field]) => [flag, fieldArbitraries(HyperparamsSchema.shape[field]).valid])),
  { requiredKeys: [] },
);

afterAll(() => {
  console.info(`cli fuzz cases: ${casesRun}; random argv parsed as ${[...kinds].map(([kind, n]) => `${kind}=${n}`).join(', ')}`);
});

describe('parseTrainArgs() fuzzed', () => {
  it('never throws on random argv, and gives a non-empty error or a request StartRequestSchema accepts', () => {
    fc.assert(
      fc.property(argv, (args) => {
        casesRun++;
        let result: ParsedArgs | undefined;
        expect(() => (result = parseTrainArgs(args))).not.toThrow();
        expectWellFormed(result as ParsedArgs);
        kinds.set((result as ParsedArgs).kind, (kinds.get((result as ParsedArgs).kind) ?? 0) + 1);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses prototype keys and unknown flags, with or without a value', () => {
    const hostile = fc.tuple(fc.constantFrom(...PROTO_KEYS, '__defineGetter__', 'hasOwnProperty'), flagValue, fc.boolean());
    fc.assert(
      fc.property(hostile, argv, ([key, value, isJoined], rest) => {
        casesRun++;
        const args = isJoined ? [`--${key}=${value}`, ...rest] : [...rest, `--${key}`, value];
        const result = parseTrainArgs(args);
        expect(result.kind).toBe('error');
        expectWellFormed(result);
      }),
      { numRuns: RUNS },
    );
  });

  it('trains with exactly the values given when every flag is in range', () => {
    fc.assert(
      fc.property(validArgv, fc.boolean(), (values, isJson) => {
        casesRun++;
        const args = Object.entries(values).flatMap(([flag, value]) => (value === null ? [] : [`--${flag}=${String(value)}`]));
        const result = parseTrainArgs(isJson ? [...args, '--json'] : args);
        expect(result.kind).toBe('train');
        if (result.kind !== 'train') return;
        for (const [flag, value] of Object.entries(values)) {
          const field = FLAG_FIELDS[flag as keyof typeof FLAG_FIELDS];
          // String(-0) is "0": compare numbers with ===, which holds 0 and -0 equal.
          expect(result.options.request.hyperparams[field] === value).toBe(true);
        }
        expect(result.options.isJson).toBe(isJson);
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves Object, Array and Function prototypes unpolluted', () => {
    expect(prototypeSnapshot()).toEqual(prototypesBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
