/**
 * Real `npm run worker` processes (out/cli/worker.mjs, built by the global setup) for the queue
 * tests and the queue bench: spawned with their output kept, ready once they say they wait for
 * trials, killed or stopped like a person or a crash would.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface WorkerProcessOptions {
  url: string;
  name: string;
  dataDir: string;
  /** Short BullMQ timings for tests (a killed worker's trial moves on within seconds). */
  lockMs?: number;
  stalledMs?: number;
  calibrate?: number;
  extraArgs?: string[];
}

export class WorkerProcess {
  readonly child: ChildProcess;
  #output = '';

  constructor(readonly options: WorkerProcessOptions) {
    const args = [
      path.resolve('out/cli/worker.mjs'),
      '--queue',
      options.url,
      '--name',
      options.name,
      '--data-dir',
      options.dataDir,
      '--backend',
      'wasm',
      '--calibrate',
      String(options.calibrate ?? 0),
      ...(options.lockMs ? ['--lock-ms', String(options.lockMs)] : []),
      ...(options.stalledMs ? ['--stalled-ms', String(options.stalledMs)] : []),
      ...(options.extraArgs ?? []),
    ];
    this.child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
  }

  /** stdout and stderr, interleaved as they came. */
  get output(): string {
    return this.#output;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** True once it has exited, by itself or by a signal. */
  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves once the worker waits for trials; rejects with its output if it exits first. */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#output.includes('Waiting for trials')) {
      if (this.hasExited) throw new Error(`worker ${this.options.name} exited (${this.child.exitCode}):\n${this.#output}`);
      if (Date.now() > deadline) throw new Error(`worker ${this.options.name} did not get ready:\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The exit code once it has exited. */
  exited(): Promise<number | null> {
    if (this.hasExited) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** SIGKILL: a machine that died mid-trial. */
  kill(): Promise<number | null> {
    this.child.kill('SIGKILL');
    return this.exited();
  }

  /** SIGTERM, as a service manager stops it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.hasExited) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return this.exited();
  }
}
