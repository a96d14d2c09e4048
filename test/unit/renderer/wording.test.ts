import { describe, expect, it } from 'vitest';
import { readableMessage } from '../../../renderer/src/lib/wording';

const names: Record<string, string> = { '2026-11-26T15-40-12-lstm128': 'Classic tutorial', '2026-11-26T15-40-12-gru64x2-3': 'GRU pair' };
const nameOf = (runId: string) => names[runId] ?? null;

describe('readableMessage', () => {
  it('names runs by their name instead of their id, quoted or not', () => {
    expect(readableMessage('No run "2026-11-26T15-40-12-lstm128" in /home/p/runs', nameOf)).toBe(
      'No run “Classic tutorial” in /home/p/runs',
    );
    expect(readableMessage('Run 2026-11-26T15-40-12-gru64x2-3 is being trained', nameOf)).toBe('Run “GRU pair” is being trained');
  });

  it('leaves an id that is part of a path or a file name', () => {
    expect(readableMessage('in your downloads (2026-11-26T15-40-12-lstm128.zip)', nameOf)).toBe(
      'in your downloads (2026-11-26T15-40-12-lstm128.zip)',
    );
    expect(readableMessage('is in /home/p/exports/2026-11-26T15-40-12-lstm128', nameOf)).toBe(
      'is in /home/p/exports/2026-11-26T15-40-12-lstm128',
    );
    expect(readableMessage('Run 2026-11-26T15-40-12-lstm128.', nameOf)).toBe('Run “Classic tutorial”.');
  });

  it('keeps an id it has no name for', () => {
    expect(readableMessage('No run "2026-01-01T00-00-00-rnn8"', nameOf)).toBe('No run "2026-01-01T00-00-00-rnn8"');
  });

  it('shows a hidden temp file as the file it stands for', () => {
    expect(readableMessage('ENOSPC writing /home/p/runs/x/.weights.bin.0a1b2c3d4e5f.tmp', nameOf)).toBe('ENOSPC writing weights.bin');
    expect(readableMessage('cannot move .run.json.abcdefabcdef.aside.tmp', nameOf)).toBe('cannot move run.json');
  });
});
