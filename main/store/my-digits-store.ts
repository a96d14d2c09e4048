/**
 * The personal set on disk (issue 17): one JSON file in the data folder, `my-digits.json`, holding
 * every digit's 28×28 input, its raw strokes, id, label, part and time. Written atomically (temp
 * file, fsync, rename), so a reader sees the old set or the whole new one; read back validated
 * entry by entry, so a damaged entry costs only itself. A damaged file is never silently replaced:
 * it is set aside as `my-digits.json.damaged-<time>` and the problem says so. No TensorFlow.
 */
import { copyFile, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_MY_DIGITS, MY_DIGIT_PARTS, MyDigitIdSchema, saveMyDigitSchema } from '../../common/my-digits';
import { StudioError } from '../../common/errors';
import { writeFileAtomic } from './atomic';
import { errnoOf, readError, toStoreError } from './store-fs';
import { describeIssue } from './store-schema';

/** The file's name in the data folder (beside data/, runs/ and sweeps/). */
export const MY_DIGITS_FILE = 'my-digits.json';

/** One digit as the file keeps it. */
export const StoredDigitSchema = saveMyDigitSchema()
  .extend({
    id: MyDigitIdSchema,
    part: z.enum(MY_DIGIT_PARTS),
    createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected a date'),
  })
  .strict();
export type StoredDigit = z.infer<typeof StoredDigitSchema>;

/** The file's outer shape; its entries are checked one by one. */
const SetFileSchema = z.object({ formatVersion: z.literal(1), revision: z.number().int().min(0), digits: z.array(z.unknown()) }).strict();

/** The set: every digit, oldest first, and how many changes it has seen. */
export interface StoredSet {
  revision: number;
  digits: StoredDigit[];
}

/** A read of the file: the set, and a sentence when something in the file could not be used. */
export interface SetRead {
  set: StoredSet;
  problem: string | null;
}

/** `<dataRoot>/my-digits.json`. */
export function myDigitsPath(dataRoot: string): string {
  return path.join(dataRoot, MY_DIGITS_FILE);
}

/**
 * Parses a set file's text. Bad entries (and repeated ids) are dropped and described; the rest is
 * kept. Throws 'invalid-input' naming `label` when the text is not a set at all.
 */
export function parseSetText(text: string, label: string): SetRead {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new StudioError('invalid-input', `${label}: not valid JSON (${(err as Error).message})`);
  }
  const outer = SetFileSchema.safeParse(json, { reportInput: true });
  if (!outer.success) throw new StudioError('invalid-input', `${label}: not a set of digits (${describeIssue(outer.error.issues[0])})`);
  const digits: StoredDigit[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  outer.data.digits.forEach((entry, index) => {
    if (digits.length >= MAX_MY_DIGITS) return void problems.push(`digits[${index}]: over the limit of ${MAX_MY_DIGITS} digits`);
    const parsed = StoredDigitSchema.safeParse(entry, { reportInput: true });
    if (!parsed.success) return void problems.push(`digits[${index}].${describeIssue(parsed.error.issues[0])}`);
    if (seen.has(parsed.data.id)) return void problems.push(`digits[${index}]: a second digit with id ${parsed.data.id}`);
    seen.add(parsed.data.id);
    digits.push(parsed.data);
  });
  const total = outer.data.digits.length;
  const problem =
    problems.length === 0
      ? null
      : `${label}: ${problems.length} of ${total} digit${total === 1 ? '' : 's'} could not be read (${problems[0]}${problems.length > 1 ? ', …' : ''})`;
  return { set: { revision: outer.data.revision, digits }, problem };
}

/** The file's text: pixels to 4 decimals and pad coordinates to 2, which is finer than either is ever read. */
export function serializeSet(set: StoredSet): string {
  const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
  const digits = set.digits.map((d) => ({
    id: d.id,
    label: d.label,
    part: d.part,
    createdAt: d.createdAt,
    padSize: d.padSize,
    pixels: d.pixels.map((v) => round(v, 4)),
    strokes: d.strokes.map((s) => ({ points: s.points.map((p) => ({ x: round(p.x, 2), y: round(p.y, 2), width: round(p.width, 2) })) })),
  }));
  return `${JSON.stringify({ formatVersion: 1, revision: set.revision, digits })}\n`;
}

/** The set file: validated reads, queued atomic writes, damaged files set aside. */
export class MyDigitsStore {
  /** Writes queue here so that an older set never lands after a newer one. */
  #writes: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A cheap signature of the file as it is now ('' when there is none): a change means read it again. */
  async signature(): Promise<string> {
    const info = await stat(this.file).catch(() => null);
    return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : '';
  }

  /**
   * Reads the set. No file is an empty set. A file that is not a set is moved aside and an empty
   * set begins; a file with some bad entries is copied aside and rewritten with the good ones.
   * Either way `problem` says what happened and where the old file is.
   */
  async read(): Promise<SetRead> {
    await this.#writes;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return { set: { revision: 0, digits: [] }, problem: null };
      throw readError(err, this.file);
    }
    let read: SetRead;
    try {
      read = parseSetText(text, this.file);
    } catch (err) {
      if (!(err instanceof StudioError)) throw err;
      const aside = await this.setAside(true);
      return { set: { revision: 0, digits: [] }, problem: `${err.message}. It was moved to ${aside}; the set starts empty.` };
    }
    if (read.problem === null) return read;
    const aside = await this.setAside(false);
    const set = { revision: read.set.revision + 1, digits: read.set.digits };
    await this.write(set);
    const kept = set.digits.length;
    return { set, problem: `${read.problem}. The other ${kept} ${kept === 1 ? 'was' : 'were'} kept; the file as it was is in ${aside}.` };
  }

  /** Writes `set` atomically, after any write still in flight; disk trouble becomes a 'disk' error. */
  write(set: StoredSet): Promise<void> {
    const text = serializeSet(set);
    const write = this.#writes.then(() => writeFileAtomic(this.file, text).catch((err: unknown) => Promise.reject(toStoreError(err))));
    this.#writes = write.catch(() => undefined);
    return write;
  }

  /** Moves (or copies) the file to `<file>.damaged-<time>`; returns that path. */
  private async setAside(isMove: boolean): Promise<string> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const aside = `${this.file}.damaged-${stamp}`;
    try {
      await (isMove ? rename(this.file, aside) : copyFile(this.file, aside));
    } catch (err) {
      throw toStoreError(err);
    }
    return aside;
  }
}
