import { describe, expect, it } from 'vitest';
import type { LstmBridge } from '../../../common/api';
import { fileNameOf, saveImage } from '../../../renderer/src/lib/download';

describe('fileNameOf', () => {
  it('makes a run and chart name safe for every file system, with the extension given', () => {
    expect(fileNameOf('LSTM 128: lr 0.001 loss', 'chart', 'png')).toBe('LSTM-128-lr-0-001-loss.png');
    expect(fileNameOf('../../etc/passwd', 'chart', 'png')).toBe('etc-passwd.png');
    expect(fileNameOf('Übung', 'chart', 'csv')).toBe('Ubung.csv');
    expect(fileNameOf('…', 'run-1', 'csv')).toBe('run-1.csv');
  });

  it('keeps at most 80 characters of the name and never ends it on a separator', () => {
    const name = fileNameOf(`${'a'.repeat(79)} b`, 'chart', 'png');
    expect(name).toBe(`${'a'.repeat(79)}.png`);
  });
});

describe('saveImage', () => {
  it('hands the bridge the file name and the base64 and answers where it went, or null on Cancel', async () => {
    const calls: unknown[] = [];
    const bridge = {
      saveImageFile: async (request: unknown) => (calls.push(request), calls.length === 1 ? { path: '/tmp/a.png' } : null),
    } as unknown as LstmBridge;
    expect(await saveImage(bridge, 'a.png', 'iVBORw0KGgoA')).toBe('/tmp/a.png');
    expect(await saveImage(bridge, 'b.png', 'iVBORw0KGgoA')).toBeNull();
    expect(calls).toEqual([
      { fileName: 'a.png', png: 'iVBORw0KGgoA' },
      { fileName: 'b.png', png: 'iVBORw0KGgoA' },
    ]);
  });
});
