/** `node out/web/serve.mjs`: what `npm start` runs without Electron, and `npm run serve`. */
import { parseServeArgs, SERVE_HELP } from './serve-args';
import { serve } from './serve';

const EXIT_USAGE = 2;

async function main(): Promise<number> {
  const parsed = parseServeArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    return EXIT_USAGE;
  }
  return serve(parsed.options);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('LSTM Studio could not start:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
