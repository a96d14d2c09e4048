/** Runs a bundled command-line entry (out/cli/*.mjs, built by the global setup) as a person would, with its own data folder. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node out/cli/<bundle> ...args` with LSTM_STUDIO_HOME = `home`; never throws for a non-zero exit. */
export async function runCli(bundle: string, args: string[], home: string): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.resolve('out/cli', bundle), ...args], {
      env: { ...process.env, LSTM_STUDIO_HOME: home },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
