/**
 * The bench's two modes off the classic path: `--config k=v,…` measures one configuration in
 * this process; `--matrix` measures every configuration of MATRIX, each in a process of its own
 * so that each reports its own peak RSS, and prints them as one table.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseBackend, BACKEND_ORDER } from '../main/engine/backend';
import type { BackendName } from '../common/api';
import { configLabel, MATRIX, parseConfig } from './bench-config';
import type { Throughput, Variant } from './bench-measure';
import { measureLoad, measurePredict, measureThroughput } from './bench-measure';
import type { PeerResult } from './bench-peer';
import { runRnnPeer } from './bench-peer';

/** The options both modes read (bench.ts parses them). */
export interface ModeOptions {
  iterations: number;
  warmup: number;
  repeats: number;
  backend?: BackendName;
  variant: 'both' | Variant;
  'quiet-wait': number;
  json: boolean;
  'compare-pytorch': boolean;
  config?: string;
}

/** One configuration's figures. */
export interface ConfigReport {
  config: string;
  label: string;
  backend: string;
  throughput: Throughput[];
  peakRssMb: number;
  /** Median ms of one single-image prediction (probabilities and the 28 per-row answers). */
  predictMs: number;
  peer?: PeerResult;
}

/** The repository root, from the bundle at out/cli/bench.mjs. */
export const repoRoot = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A figure with `digits` decimals, as every bench line prints it. */
export const fmt = (value: number, digits = 0): string => value.toFixed(digits);

/** `--config`: one configuration, in this process. */
export async function runConfig(options: ModeOptions): Promise<ConfigReport> {
  const hp = parseConfig(options.config ?? '');
  const choice = await chooseBackend(options.backend ? [options.backend] : BACKEND_ORDER);
  const { dataset } = await measureLoad();
  const variants: Variant[] = options.variant === 'both' ? ['single', 'parallel'] : [options.variant];
  const throughput = await measureThroughput(dataset.train, choice.backend, variants, {
    ...options,
    quietWaitS: options['quiet-wait'],
    hyperparams: hp,
  });
  const report: ConfigReport = {
    config: options.config ?? '',
    label: configLabel(hp),
    backend: choice.backend,
    throughput,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    predictMs: await measurePredict(dataset.test, choice.backend, hp),
  };
  if (options['compare-pytorch'])
    report.peer = runRnnPeer(repoRoot(), { cell: hp.cell, units: hp.units, layers: hp.layers, batch: hp.batchSize }, 2);
  return report;
}

/** One line of figures for a configuration. */
export function configLine(report: ConfigReport): string {
  const ours = report.throughput.map((t) => `${t.variant} ${fmt(t.samplesPerSec)} samples/s, ${fmt(t.msPerIteration, 1)} ms/it`).join('; ');
  const peer = report.peer
    ? report.peer.ok
      ? ` | PyTorch ${fmt(report.peer.samplesPerSec)} samples/s, ${ratios(report)}`
      : ` | ${report.peer.message}`
    : '';
  return `${report.label.padEnd(44)} ${ours}; predict ${fmt(report.predictMs, 2)} ms; peak RSS ${fmt(report.peakRssMb)} MB${peer}`;
}

function ratios(report: ConfigReport): string {
  const peer = report.peer;
  if (!peer?.ok) return '';
  return report.throughput.map((t) => `${fmt(t.samplesPerSec / peer.samplesPerSec, 2)}× (${t.variant})`).join(', ');
}

/** `--matrix`: every MATRIX configuration in a child process of its own; a markdown table at the end. */
export function runMatrix(options: ModeOptions): ConfigReport[] {
  const self = process.argv[1]; // out/cli/bench.mjs: each configuration runs in a fresh copy of it
  const passOn = ['--iterations', String(options.iterations), '--warmup', String(options.warmup), '--repeats', String(options.repeats)];
  passOn.push('--variant', options.variant, '--quiet-wait', String(options['quiet-wait']), '--json');
  if (options.backend) passOn.push('--backend', options.backend);
  if (options['compare-pytorch']) passOn.push('--compare-pytorch');
  const reports: ConfigReport[] = [];
  console.log(
    `measuring ${MATRIX.length} configurations (load average ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}) …`,
  );
  for (const config of MATRIX) {
    const run = spawnSync(process.execPath, [self, '--config', config, ...passOn], { encoding: 'utf8', timeout: 60 * 60_000 });
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !line.startsWith('{')) {
      console.log(`${configLabel(parseConfig(config)).padEnd(44)} failed: ${(run.stderr || run.stdout).trim().split('\n').at(-1)}`);
      continue;
    }
    const report = JSON.parse(line) as ConfigReport;
    reports.push(report);
    console.log(configLine(report));
  }
  printTable(reports);
  return reports;
}

function printTable(reports: ConfigReport[]): void {
  const variants = reports[0]?.throughput.map((t) => t.variant) ?? [];
  const hasPeer = reports.some((r) => r.peer?.ok);
  const head = [
    'configuration',
    ...variants.flatMap((v) => [`${v} samples/s`, `${v} ms/it`]),
    'predict ms',
    'peak RSS MB',
    ...(hasPeer ? ['PyTorch samples/s', ...variants.map((v) => `ratio ${v}`)] : []),
  ];
  console.log(`\n| ${head.join(' | ')} |\n| ${head.map(() => '---').join(' | ')} |`);
  for (const r of reports) {
    const cells = [
      r.label,
      ...r.throughput.flatMap((t) => [fmt(t.samplesPerSec), fmt(t.msPerIteration, 1)]),
      fmt(r.predictMs, 2),
      fmt(r.peakRssMb),
    ];
    if (hasPeer) {
      const peer = r.peer;
      cells.push(
        peer?.ok ? fmt(peer.samplesPerSec) : '–',
        ...r.throughput.map((t) => (peer?.ok ? `${fmt(t.samplesPerSec / peer.samplesPerSec, 2)}×` : '–')),
      );
    }
    console.log(`| ${cells.join(' | ')} |`);
  }
}
