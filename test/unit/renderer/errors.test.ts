import { describe, expect, it } from 'vitest';
import { errorTitle, toWireError } from '../../../renderer/src/lib/errors';

describe('toWireError', () => {
  it('keeps a known code on the error object', () => {
    expect(toWireError(Object.assign(new Error('loss is NaN'), { code: 'diverged' }))).toEqual({
      code: 'diverged',
      message: 'loss is NaN',
    });
  });

  it('accepts a plain { code, message } object', () => {
    expect(toWireError({ code: 'busy', message: 'a run is training' })).toEqual({ code: 'busy', message: 'a run is training' });
  });

  it('reads a "[code] message" prefix, as errors lose their properties crossing the contextBridge', () => {
    expect(toWireError(new Error('[dataset-corrupt] t10k-images.idx: expected magic 2051, got 2049'))).toEqual({
      code: 'dataset-corrupt',
      message: 't10k-images.idx: expected magic 2051, got 2049',
    });
  });

  it('strips Electron’s "Error invoking remote method" prefix', () => {
    expect(toWireError(new Error("Error invoking remote method 'lstm:predict': Error: [not-found] no run x"))).toEqual({
      code: 'not-found',
      message: 'no run x',
    });
  });

  it('calls anything else internal, keeping its text', () => {
    expect(toWireError('weird')).toEqual({ code: 'internal', message: 'weird' });
    expect(toWireError(new Error('[nonsense] x'))).toEqual({ code: 'internal', message: '[nonsense] x' });
    expect(toWireError({ code: 'nope', message: 'm' }).code).toBe('internal');
  });
});

describe('errorTitle', () => {
  it('has a readable title for every code', () => {
    expect(errorTitle('worker-crashed')).toBe('The training worker crashed');
  });
});
