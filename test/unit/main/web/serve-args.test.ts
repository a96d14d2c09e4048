import { describe, expect, it } from 'vitest';
import { parseServeArgs, SERVE_HELP } from '../../../../main/web/serve-args';

describe('parseServeArgs', () => {
  it('defaults to a free port and opening the browser', () => {
    expect(parseServeArgs([])).toEqual({ kind: 'serve', options: { port: 0, shouldOpen: true } });
  });

  it('takes --port and --no-open', () => {
    expect(parseServeArgs(['--port', '6006', '--no-open'])).toEqual({ kind: 'serve', options: { port: 6006, shouldOpen: false } });
  });

  it('refuses a port that is not a whole number from 1 to 65535, quoting it', () => {
    for (const port of ['0', '65536', '-1', '8e3', 'abc', '80.5', '']) {
      const parsed = parseServeArgs([`--port=${port}`]);
      expect(parsed.kind).toBe('error');
      if (parsed.kind === 'error') expect(parsed.message).toContain(JSON.stringify(port));
    }
  });

  it('refuses unknown flags and positionals, pointing to --help (there is no --host)', () => {
    for (const argv of [['--host', '0.0.0.0'], ['serve'], ['--verbose']])
      expect(parseServeArgs(argv)).toMatchObject({ kind: 'error', message: expect.stringContaining('--help') });
  });

  it('shows help that names every option and the SSH tunnel', () => {
    expect(parseServeArgs(['--help'])).toEqual({ kind: 'help' });
    for (const text of ['--port', '--no-open', 'ssh -L', '127.0.0.1']) expect(SERVE_HELP).toContain(text);
  });
});
