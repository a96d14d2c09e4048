/**
 * What `npm run train` and `npm run sweep` share about their flags: how a flag is described,
 * the --help rows, strict parsing into values (never a throw), and the --backend check.
 */
import { parseArgs } from 'node:util';
import type { BackendName } from '../../common/api';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Shown in --help; `default` is the value used when the flag is absent. */
  value?: string;
  default: string;
  help: string;
}

export type FlagValues = Record<string, string | boolean | undefined>;

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** One --help row per flag: `  --name VALUE` padded to `width`, then its help and default. */
export function flagRows(flags: Record<string, FlagSpec>, width: number): string[] {
  return Object.entries(flags).map(([flag, spec]) => {
    const left = `  --${flag}${spec.value ? ` ${spec.value}` : ''}`;
    return `${left.padEnd(width)}${spec.help} (default: ${spec.default})`;
  });
}

/** The flags' values, strictly (unknown flags and positionals refused); the problem in one line otherwise. */
export function parseFlags(
  flags: Record<string, FlagSpec>,
  argv: string[],
): { ok: true; values: FlagValues } | { ok: false; message: string } {
  try {
    const options = Object.fromEntries(Object.entries(flags).map(([flag, spec]) => [flag, { type: spec.type }]));
    return { ok: true, values: parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values };
  } catch (err) {
    return { ok: false, message: `${(err as Error).message.split('\n')[0]}. See --help.` };
  }
}

/** Why `--backend VALUE` is refused, or null when it names a backend (or is absent). */
export function backendProblem(value: string | undefined): string | null {
  if (value === undefined || BACKENDS.includes(value as BackendName)) return null;
  return `--backend: expected one of ${BACKENDS.join(', ')}, got "${value}".`;
}
