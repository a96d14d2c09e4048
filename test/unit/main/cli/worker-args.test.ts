import { describe, expect, it } from 'vitest';
import { parseWorkerArgs, workerHelpText } from '../../../../main/cli/worker-args';

describe('parseWorkerArgs', () => {
  it('takes the queue URL, a name and BullMQ timings, with defaults', () => {
    expect(parseWorkerArgs(['--queue', 'redis://:pw@host:6379/0'], 'me:1')).toEqual({
      kind: 'worker',
      options: {
        queueUrl: 'redis://:pw@host:6379/0',
        name: 'me:1',
        dataDir: undefined,
        mnistDir: undefined,
        backend: undefined,
        calibrateIterations: 20,
        lockMs: 30_000,
        stalledMs: 30_000,
      },
    });
    expect(parseWorkerArgs(['--queue', 'redis://h', '--name', 'lab', '--lock-ms', '2000', '--calibrate', '0'])).toMatchObject({
      kind: 'worker',
      options: { name: 'lab', lockMs: 2000, calibrateIterations: 0 },
    });
    expect(parseWorkerArgs(['--help'])).toEqual({ kind: 'help' });
    // From the environment, so that the password stays out of the command line.
    expect(parseWorkerArgs([], 'me', { LSTM_STUDIO_QUEUE: 'redis://:pw@h:6379/0' })).toMatchObject({
      kind: 'worker',
      options: { queueUrl: 'redis://:pw@h:6379/0' },
    });
    expect(parseWorkerArgs(['--queue', 'redis://a'], 'me', { LSTM_STUDIO_QUEUE: 'redis://b' })).toMatchObject({
      options: { queueUrl: 'redis://a' },
    });
    expect(workerHelpText()).toMatch(/--queue URL/);
  });

  it('refuses a missing or bad URL without repeating its password, and bad numbers', () => {
    expect(parseWorkerArgs([], 'me', {})).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/--queue URL \(or LSTM_STUDIO_QUEUE\) is needed/),
    });
    const bad = parseWorkerArgs(['--queue', 'redis://:hunter2@host:0/0']);
    expect(bad).toMatchObject({ kind: 'error', message: expect.stringMatching(/port/) });
    expect(JSON.stringify(bad)).not.toContain('hunter2');
    expect(parseWorkerArgs(['--queue', 'redis://h', '--lock-ms', '10'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/--lock-ms/),
    });
    expect(parseWorkerArgs(['--queue', 'redis://h', '--backend', 'gpu'])).toMatchObject({ kind: 'error' });
    expect(parseWorkerArgs(['--queue', 'redis://h', 'extra'])).toMatchObject({ kind: 'error' });
  });
});
