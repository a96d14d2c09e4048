import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIXEL_COUNT } from '../../../../common/api';
import { isTempName } from '../../../../main/store/atomic';
import { MY_DIGITS_FILE, MyDigitsStore, parseSetText, serializeSet } from '../../../../main/store/my-digits-store';
import type { StoredSet } from '../../../../main/store/my-digits-store';
import { storedDigit } from './my-digits-fixtures';
import { bundleChild, killAfterReady } from '../../../integration/fault-helpers';

const KILLS = 12;
let dir: string;
const fileIn = (name: string) => path.join(dir, name, MY_DIGITS_FILE);
const fixed = () => new Date('2026-12-02T07:00:00.000Z');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'my-digits-store-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('MyDigitsStore', () => {
  it('reads a missing file as an empty set', async () => {
    expect(await new MyDigitsStore(fileIn('none')).read()).toEqual({ set: { revision: 0, digits: [] }, problem: null });
  });

  it('round-trips a set: what is written reads back the same, strokes and parts included', async () => {
    const store = new MyDigitsStore(fileIn('round-trip'));
    const set: StoredSet = { revision: 7, digits: [storedDigit(0), storedDigit(1), storedDigit(2)] };
    await store.write(set);
    expect(await store.read()).toEqual({ set, problem: null });
    expect(await new MyDigitsStore(fileIn('round-trip')).read()).toEqual({ set, problem: null });
  });

  it('rounds pixels to 4 decimals and pad coordinates to 2 in the file', () => {
    const digit = storedDigit(3, { pixels: new Array<number>(PIXEL_COUNT).fill(1 / 3) });
    digit.strokes[0].points[0].x = 1 / 3;
    const text = serializeSet({ revision: 1, digits: [digit] });
    const back = parseSetText(text, 'x').set.digits[0];
    expect(back.pixels[0]).toBe(0.3333);
    expect(back.strokes[0].points[0].x).toBe(0.33);
  });

  it('keeps the valid entries of a file with damaged ones, names the file and sets the original aside', async () => {
    const file = fileIn('damaged-entries');
    const good = [storedDigit(0), storedDigit(1), storedDigit(2)];
    const bad = { ...storedDigit(3), label: 12 };
    await new MyDigitsStore(file).write({ revision: 4, digits: good });
    const json = JSON.parse(await readFile(file, 'utf8')) as { digits: unknown[] };
    json.digits.splice(1, 0, bad, { ...storedDigit(4), id: 'd-0' });
    const original = JSON.stringify(json);
    await writeFile(file, original);

    const { set, problem } = await new MyDigitsStore(file, fixed).read();
    expect(set.digits.map((d) => d.id)).toEqual(['d-0', 'd-1', 'd-2']);
    expect(set.revision).toBe(5);
    const aside = `${file}.damaged-2026-12-02T07-00-00-000Z`;
    expect(problem).toBe(
      `${file}: 2 of 5 digits could not be read (digits[1].label: expected at most 9, got 12, …). ` +
        `The other 3 were kept; the file as it was is in ${aside}.`,
    );
    expect(await readFile(aside, 'utf8')).toBe(original);
    // The rewritten file is clean: the next read has nothing to say.
    expect(await new MyDigitsStore(file).read()).toEqual({ set, problem: null });
  });

  it('moves a file that is not a set aside and starts an empty one, saying where it went', async () => {
    const file = fileIn('not-json');
    await new MyDigitsStore(file).write({ revision: 1, digits: [storedDigit(0)] });
    const text = (await readFile(file, 'utf8')).slice(0, 500);
    await writeFile(file, text);
    const { set, problem } = await new MyDigitsStore(file, fixed).read();
    expect(set).toEqual({ revision: 0, digits: [] });
    const aside = `${file}.damaged-2026-12-02T07-00-00-000Z`;
    expect(problem).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON \\(.+\\)\\. It was moved to `));
    expect(problem).toContain(`${aside}; the set starts empty.`);
    expect(await readFile(aside, 'utf8')).toBe(text);
    expect(await readdir(path.dirname(file))).toEqual([path.basename(aside)]);
  });

  it('refuses a file of another shape, naming it', () => {
    expect(() => parseSetText('{"formatVersion":2,"revision":0,"digits":[]}', 'import.json')).toThrow(
      'import.json: not a set of digits (formatVersion: expected 1, got 2)',
    );
  });
});

describe('MyDigitsStore written by a process that is SIGKILLed', () => {
  it(`after each of ${KILLS} kills the file is a whole earlier set, never a partial one`, async () => {
    const child = await bundleChild(
      `import { MyDigitsStore } from './main/store/my-digits-store';
       import { storedDigit } from './test/unit/main/store/my-digits-fixtures';
       const store = new MyDigitsStore(process.argv[2]);
       // 300 digits, ~1.4 MB: a write lasts long enough for kills to land inside it.
       const sets = [0, 1].map((label) => Array.from({ length: 300 }, (_, i) => storedDigit(i, { label })));
       for (let revision = 1; ; revision++) {
         await store.write({ revision, digits: sets[revision % 2] });
         if (revision === 1) process.stdout.write('ready\\n');
       }`,
      path.join(dir, 'my-digits-child.mjs'),
    );
    const file = fileIn('killed');
    const temps = async () => (await readdir(path.dirname(file))).filter(isTempName).length;
    let midWrite = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const before = await temps().catch(() => 0);
      // Spread over a whole write cycle (serializing, then writing, syncing and renaming).
      await killAfterReady(child, [file], kill * 9);
      if ((await temps()) > before) midWrite++;
      const { set, problem } = await new MyDigitsStore(file).read();
      expect(problem).toBeNull();
      expect(set.digits).toHaveLength(300);
      expect(set.digits.every((d) => d.label === set.revision % 2)).toBe(true);
    }
    // The kills must have caught writes in the act (a temp file left behind), or this proves nothing.
    expect(midWrite).toBeGreaterThan(0);
  });
});
