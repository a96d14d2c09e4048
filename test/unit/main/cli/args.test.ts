import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import { TRAIN_FLAGS, helpText, parseTrainArgs } from '../../../../main/cli/args';

describe('parseTrainArgs', () => {
  it('gives exactly the classic configuration when no option is given', () => {
    const parsed = parseTrainArgs([]);
    expect(parsed.kind).toBe('train');
    if (parsed.kind !== 'train') return;
    expect(parsed.options.request.hyperparams).toEqual(DEFAULT_HYPERPARAMS);
    expect(parsed.options.isJson).toBe(false);
  });

  it('maps every hyperparameter flag to its field', () => {
    const parsed = parseTrainArgs([
      '--epochs',
      '5',
      '--cell',
      'gru',
      '--units',
      '64',
      '--layers',
      '2',
      '--forget-bias',
      '0.5',
      '--lr',
      '0.01',
      '--optimizer',
      'rmsprop',
      '--batch',
      '32',
      '--validation-interval',
      '50',
      '--dropout',
      '0.2',
      '--rotation',
      '12',
      '--shear',
      '8',
      '--aspect',
      '0.1',
      '--thickness',
      '0.5',
      '--elastic',
      '1.5',
      '--seed',
      '42',
      '--name',
      'try',
      '--train-limit',
      '1000',
      '--test-limit',
      '500',
      '--out',
      '/tmp/runs',
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(parsed).toMatchObject({
      kind: 'train',
      options: {
        request: {
          hyperparams: {
            budgetUnit: 'epochs',
            budget: 5,
            cell: 'gru',
            units: 64,
            layers: 2,
            forgetBias: 0.5,
            learningRate: 0.01,
            optimizer: 'rmsprop',
            batchSize: 32,
            validationInterval: 50,
            dropout: 0.2,
            rotation: 12,
            shear: 8,
            aspect: 0.1,
            thickness: 0.5,
            elastic: 1.5,
            seed: 42,
          },
          name: 'try',
          trainLimit: 1000,
          testLimit: 500,
        },
        runsDir: '/tmp/runs',
        backend: 'cpu',
        isJson: true,
      },
    });
  });

  it('resumes a run with --resume, allowing only where-and-how flags beside it', () => {
    expect(parseTrainArgs(['--resume', 'r1', '--out', '/tmp/runs', '--json'])).toMatchObject({
      kind: 'train',
      options: { resumeRunId: 'r1', runsDir: '/tmp/runs', isJson: true },
    });
  });

  it('asks for help with --help', () => {
    expect(parseTrainArgs(['--help'])).toEqual({ kind: 'help' });
  });

  const bad: [string[], RegExp][] = [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--units'], /--units/],
    [['--units', 'abc'], /--units: .*expected number/],
    [['--units', '12.5'], /--units: .*int/i],
    [['--lr', '0'], /--lr: Too small/],
    [['--lr=-1'], /--lr: Too small/],
    [['--lr', '-1'], /--lr.*ambiguous/],
    [['--batch', '0'], /--batch: Too small/],
    [['--cell', 'transformer'], /--cell: Invalid option/],
    [['--dropout', '1.5'], /--dropout: Too big/],
    [['--rotation', '90'], /--rotation: Too big/],
    [['--elastic', '-1'], /--elastic/],
    [['--iterations', '10', '--epochs', '2'], /not both/],
    [['--backend', 'gpu'], /--backend: expected one of tensorflow, wasm, cpu, got "gpu"/],
    [['--seed', 'NaN'], /--seed/],
    [['--iterations', '1e9'], /--iterations\/--epochs: Too big/],
    [['stray'], /positional/i],
    [['--resume', 'r1', '--units', '64'], /--resume continues a run .*drop --units/],
    [['--checkpoint-interval', '-5'], /--checkpoint-interval/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')} with a clear message`, () => {
      const parsed = parseTrainArgs(argv);
      expect(parsed.kind).toBe('error');
      if (parsed.kind === 'error') expect(parsed.message).toMatch(message);
    });
  }
});

describe('helpText', () => {
  it('lists every option with its default', () => {
    const text = helpText();
    for (const [flag, spec] of Object.entries(TRAIN_FLAGS)) {
      expect(text).toContain(`--${flag}`);
      expect(text).toContain(`(default: ${spec.default})`);
    }
  });
});
