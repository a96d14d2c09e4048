import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../../../main/engine/backend';
import { copyTensorInto, tensorFromCopy } from '../../../../../main/engine/wasm';

describe('tensor copies to and from shared arrays', () => {
  afterAll(async () => {
    await chooseBackend(['wasm']);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`copies a tensor's values into an array and back, never aliasing the array (${backend})`, async () => {
      await chooseBackend([backend]);
      const shared = new Float32Array(new SharedArrayBuffer(6 * 4));
      const source = tf.tensor([1.5, -2, 3, 4, 5, 6.25], [2, 3]);
      copyTensorInto(source, shared);
      expect(Array.from(shared)).toEqual([1.5, -2, 3, 4, 5, 6.25]);
      const back = tensorFromCopy(shared, [2, 3]);
      shared.fill(0);
      expect(back.shape).toEqual([2, 3]);
      expect(Array.from(back.dataSync())).toEqual([1.5, -2, 3, 4, 5, 6.25]);
      tf.dispose([source, back]);
    });
  }
});
