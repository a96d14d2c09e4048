import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeCheckpoint,
  decodeResult,
  encodeCheckpoint,
  encodeResult,
  sha256Of,
  TrialReportSchema,
  TrialReturnSchema,
} from '../../../../main/queue/codec';

describe('result blobs', () => {
  it('round-trips a run: record, model.json and the weights byte for byte', () => {
    const weights = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254]);
    const blob = encodeResult({ record: { runId: 'r' }, modelJson: { format: 'layers-model' }, weights });
    const back = decodeResult(blob, sha256Of(blob));
    expect(back.record).toEqual({ runId: 'r' });
    expect(back.modelJson).toEqual({ format: 'layers-model' });
    expect([...back.weights]).toEqual([...weights]);
  });

  it('refuses a blob whose bytes changed, that is not gzip, or whose JSON is not a result', () => {
    const blob = encodeResult({ record: {}, modelJson: {}, weights: new Uint8Array(4) });
    const sha = sha256Of(blob);
    const flipped = Buffer.from(blob);
    flipped[10] ^= 1;
    expect(() => decodeResult(flipped, sha)).toThrow(/do not match the checksum/);
    const notGzip = Buffer.from('plain text');
    expect(() => decodeResult(notGzip, sha256Of(notGzip))).toThrow(/not gzip/);
    const wrong = gzipSync(JSON.stringify({ format: 1, record: {}, modelJson: {}, weights: 'not base64!' }));
    expect(() => decodeResult(wrong, sha256Of(wrong))).toThrow(/weights: expected base64/);
  });
});

describe('checkpoint blobs', () => {
  it('round-trips a checkpoint folder and refuses files a checkpoint does not have', () => {
    const files = { 'state.json': new TextEncoder().encode('{}'), 'weights.bin': new Uint8Array([9, 8, 7]) };
    const back = decodeCheckpoint(encodeCheckpoint({ runId: 'run-1', iteration: 40, files }));
    expect(back).toMatchObject({ runId: 'run-1', iteration: 40 });
    expect([...(back.files['weights.bin'] ?? [])]).toEqual([9, 8, 7]);
    const stray = gzipSync(JSON.stringify({ format: 1, runId: 'run-1', iteration: 40, files: { '../../etc/passwd': 'AAAA' } }));
    expect(() => decodeCheckpoint(stray)).toThrow(/unusable/);
  });
});

describe('what workers send', () => {
  it('reads a NaN validation score (JSON null) back as NaN, and refuses unknown report types', () => {
    const report = TrialReportSchema.parse({
      type: 'progress',
      worker: 'w',
      iteration: 10,
      totalIterations: 20,
      samplesPerSec: 100,
      elapsedMs: 1,
      etaMs: 1,
      validation: { iteration: 10, accuracy: null },
    });
    expect(report.type === 'progress' && Number.isNaN(report.validation?.accuracy)).toBe(true);
    expect(TrialReportSchema.safeParse({ type: 'hello', worker: 'w' }).success).toBe(false);
    expect(
      TrialReturnSchema.safeParse({ format: 1, outcome: 'trained', worker: 'w', runId: 'r', stopped: false, sha256: 'x', bytes: 1 })
        .success,
    ).toBe(false);
  });
});
