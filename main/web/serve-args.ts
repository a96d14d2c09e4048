/**
 * `npm start` in browser mode / `npm run serve` options. Pure: no I/O, so tests can call it.
 * There is deliberately no --host: the server only ever listens on 127.0.0.1 (reach it from
 * another machine through an SSH tunnel, as the README shows).
 */
import { parseArgs } from 'node:util';

export interface ServeOptions {
  /** 0 = a free port. */
  port: number;
  shouldOpen: boolean;
}

export type ParsedServeArgs = { kind: 'help' } | { kind: 'serve'; options: ServeOptions } | { kind: 'error'; message: string };

/** --help's text. */
export const SERVE_HELP = `Usage: npm run serve -- [options]   (npm start opens this too where Electron is missing)

Opens LSTM Studio in your browser: the studio is served on 127.0.0.1 only, behind a key
that changes at every launch and is part of the address printed below.

Options:
  --port N     listen on port N (default: a free port)
  --no-open    do not open a browser, only print the address (also: BROWSER=none)
  --help       show this help

From another machine, tunnel the port over SSH and open the printed address there:
  ssh -L 6006:127.0.0.1:6006 you@training-box   then, on training-box: npm run serve -- --port 6006
`;

/** Parses argv (without node and script). */
export function parseServeArgs(argv: readonly string[]): ParsedServeArgs {
  let values: { port?: string; 'no-open'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { port: { type: 'string' }, 'no-open': { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { kind: 'error', message: `${(err as Error).message} (see --help)` };
  }
  if (values.help) return { kind: 'help' };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (values.port !== undefined && (!/^\d{1,5}$/.test(values.port) || port < 1 || port > 65_535)) {
    return { kind: 'error', message: `--port: expected a whole number from 1 to 65535, got ${JSON.stringify(values.port)}` };
  }
  return { kind: 'serve', options: { port, shouldOpen: !values['no-open'] } };
}
