/**
 * `npm run drawn-digits -- --run RUN`: how well a saved run reads digits drawn on the pad in
 * print style (test/fixtures/drawn-digits/), replayed through the pad's own preprocessing and
 * answered by the same service and worker the app predicts with. Per-digit accuracy, then
 * every misread digit with its style. A check, not a training target.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCliService } from './cli-service';
import type { DrawnScore } from './drawn-set';
import { loadDrawnSet, scoreDrawnSet } from './drawn-set';
import type { FlagSpec } from './flags';
import { flagRows, parseFlags } from './flags';

const EXIT_USAGE = 2;

/** The committed set, from the bundle at out/cli/drawn.mjs. */
const DEFAULT_SET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test/fixtures/drawn-digits/print-digits.json');

const FLAGS: Record<string, FlagSpec> = {
  run: { type: 'string', value: 'RUN', default: '-', help: 'the saved run to score (its id, as npm run train prints it)' },
  set: { type: 'string', value: 'FILE', default: 'test/fixtures/drawn-digits/print-digits.json', help: 'the drawn-digit set' },
  out: { type: 'string', value: 'DIR', default: 'the app data folder /runs', help: 'folder the run is saved in' },
  json: { type: 'boolean', default: 'off', help: 'print one JSON object instead of the table' },
  help: { type: 'boolean', default: 'off', help: 'show this help' },
};

function helpText(): string {
  return ['Usage: npm run drawn-digits -- --run RUN [options]', '', 'Options:', ...flagRows(FLAGS, 20)].join('\n');
}

/** The report's lines: a row per digit, the total, then the misread digits. */
export function scoreLines(runId: string, score: DrawnScore): string[] {
  const percent = (correct: number, count: number) => (count === 0 ? '-' : `${((100 * correct) / count).toFixed(1)} %`);
  return [
    `${runId}: ${score.correct} of ${score.total} drawn digits read right (${percent(score.correct, score.total)})`,
    ...score.perDigit.map(
      (d) => `  ${d.label}  ${String(d.correct).padStart(3)} / ${String(d.count).padEnd(3)} ${percent(d.correct, d.count)}`,
    ),
    ...(score.misread.length > 0
      ? ['misread:', ...score.misread.map((m) => `  #${m.index} a ${m.label} (${m.style}) read as ${m.predicted}`)]
      : []),
  ];
}

async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(FLAGS, argv);
  if (!flags.ok) return (console.error(flags.message), EXIT_USAGE);
  const { values } = flags;
  if (values.help) return (console.log(helpText()), 0);
  const runId = values.run;
  if (typeof runId !== 'string') return (console.error('--run RUN is required. See --help.'), EXIT_USAGE);
  const set = await loadDrawnSet(typeof values.set === 'string' ? path.resolve(values.set) : DEFAULT_SET);
  const { service } = createCliService({ ...(typeof values.out === 'string' ? { runsDir: values.out } : {}) });
  try {
    const score = await scoreDrawnSet(set, (pixels) => service.predict({ runId, pixels }));
    console.log(values.json ? JSON.stringify({ runId, ...score }) : scoreLines(runId, score).join('\n'));
    return 0;
  } finally {
    await service.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`drawn-digits: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
