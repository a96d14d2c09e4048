/**
 * `npm run soak -- [--epochs 20] [--train-limit N]`: a long run in one go, checking that nothing
 * grows: tensor count, tensor bytes and resident memory are sampled at the end of every epoch.
 * Not part of `npm test` (20 full epochs take many minutes); its figures go in the README.
 * Exits 1 when the tensor count grows at all, or RSS grows by more than 15 % after epoch 2.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StartRequestSchema } from '../common/api';
import type { TrainEvent } from '../common/api';
import { chooseBackend } from '../main/engine/backend';
import { loadDataset } from '../main/engine/data/dataset';
import { trainRun } from '../main/engine/engine';
import { RunStore } from '../main/store/store';

interface Sample {
  epoch: number;
  iteration: number;
  tensors: number;
  tensorMb: number;
  rssMb: number;
  validationAccuracy: number | null;
  samplesPerSec: number;
}

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '20' }, 'train-limit': { type: 'string' } } });
const epochs = Number(values.epochs);
const root = mkdtempSync(path.join(os.tmpdir(), 'lstm-soak-'));
const mb = (bytes: number) => bytes / 2 ** 20;

async function main(): Promise<number> {
  const { backend } = await chooseBackend();
  const dataset = await loadDataset({ dataDir: path.join(os.tmpdir(), 'lstm-soak-data') });
  const trainLimit = values['train-limit'] ? Number(values['train-limit']) : undefined;
  const perEpoch = Math.ceil((trainLimit ?? dataset.train.count) / 128);
  // Validating once per epoch makes every epoch end with a progress event to sample at.
  const request = StartRequestSchema.parse({
    hyperparams: { budgetUnit: 'epochs', budget: epochs, validationInterval: perEpoch, seed: 1 },
    ...(trainLimit ? { trainLimit } : {}),
    testLimit: 1000,
  });
  const samples: Sample[] = [];
  const emit = (event: TrainEvent) => {
    if (event.type !== 'progress' || event.iteration % perEpoch !== 0) return;
    const memory = tf.memory();
    const sample = {
      epoch: event.iteration / perEpoch,
      iteration: event.iteration,
      tensors: memory.numTensors,
      tensorMb: mb(memory.numBytes),
      rssMb: mb(process.memoryUsage().rss),
      validationAccuracy: event.validation?.accuracy ?? null,
      samplesPerSec: event.samplesPerSec,
    };
    samples.push(sample);
    console.log(
      `epoch ${String(sample.epoch).padStart(2)}  tensors ${sample.tensors}  tensor MB ${sample.tensorMb.toFixed(1)}  RSS MB ${sample.rssMb.toFixed(0)}  ${Math.round(sample.samplesPerSec)} samples/s`,
    );
  };
  console.log(`Soak: ${epochs} epochs of the classic configuration on the ${backend} backend, ${perEpoch} iterations each`);
  const context = {
    dataset,
    store: new RunStore(path.join(root, 'runs')),
    backend,
    versions: {},
    emit,
    isStopRequested: () => false,
    yieldToEvents: async () => undefined,
  };
  await trainRun('soak', request, context);
  return verdict(samples);
}

function verdict(samples: Sample[]): number {
  const settled = samples.filter((s) => s.epoch >= 2);
  if (settled.length < 2) return 0;
  const tensorGrowth = settled.at(-1)!.tensors - settled[0].tensors;
  const rssGrowth = settled.at(-1)!.rssMb / settled[0].rssMb - 1;
  console.log(
    `From epoch 2 to ${settled.at(-1)!.epoch}: tensors ${tensorGrowth >= 0 ? '+' : ''}${tensorGrowth}, RSS ${(rssGrowth * 100).toFixed(1)} %`,
  );
  console.log(`Peak RSS ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB`);
  return tensorGrowth > 0 || rssGrowth > 0.15 ? 1 : 0;
}

main()
  .then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  )
  .finally(() => rmSync(root, { recursive: true, force: true }));
