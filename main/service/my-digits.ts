/**
 * The personal set as the service keeps it (issue 17): list, save, delete, relabel or move a
 * digit between the parts, export and import. Every change is one read-change-write under a
 * queue, so two quick saves never lose one another; the file is re-read only when it changed.
 * Scoring and fine-tuning read the set through `current()` (my-digits-score.ts, fine-tune-job.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { MAX_MY_DIGITS, MAX_SAVED_TEXT, partForNew } from '../../common/api';
import type { MyDigit, MyDigitRef, MyDigitsImport, MyDigitsListing, SaveMyDigitRequest, UpdateMyDigitRequest } from '../../common/api';
import { StudioError } from '../../common/errors';
import { writeFileAtomic } from '../store/atomic';
import { MY_DIGITS_FILE, MyDigitsStore, parseSetText, serializeSet } from '../store/my-digits-store';
import type { StoredDigit, StoredSet } from '../store/my-digits-store';
import { readError, toStoreError } from '../store/store-fs';

export interface MyDigitsOptions {
  /** The set's file (`<data root>/my-digits.json`). */
  file: string;
  now: () => Date;
  /** The save dialog (the app); without it exportMyDigits is refused (browser mode downloads instead). */
  chooseSaveFile?: (fileName: string) => Promise<string | null>;
  /** The open dialog (the app); without it an import must bring its text (browser mode's upload). */
  chooseOpenFile?: (fileName: string) => Promise<string | null>;
}

/** The set's digits as the gallery gets them: everything but the strokes. */
function toListed(digit: StoredDigit): MyDigit {
  return { id: digit.id, label: digit.label, part: digit.part, createdAt: digit.createdAt, pixels: digit.pixels };
}

/** The personal set: validated reads, queued changes, export and import. */
export class MyDigits {
  readonly store: MyDigitsStore;
  #cache: { signature: string; set: StoredSet } | null = null;
  /** What the last read of a damaged file found; kept for the session so every window hears it. */
  #problem: string | null = null;
  #changes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MyDigitsOptions) {
    this.store = new MyDigitsStore(options.file, options.now);
  }

  /** The set as it is on disk now (read again only when the file changed). */
  async current(): Promise<StoredSet> {
    const signature = await this.store.signature();
    if (this.#cache && this.#cache.signature === signature) return this.#cache.set;
    const { set, problem } = await this.store.read();
    if (problem) this.#problem = problem;
    this.#cache = { signature: await this.store.signature(), set };
    return set;
  }

  async list(): Promise<MyDigitsListing> {
    const set = await this.current();
    return { revision: set.revision, digits: set.digits.map(toListed), file: this.options.file, problem: this.#problem };
  }

  /** Adds a digit in the part the split rule gives it. */
  save(request: SaveMyDigitRequest): Promise<MyDigitsListing> {
    return this.change((digits) => {
      if (digits.length >= MAX_MY_DIGITS)
        throw new StudioError('invalid-input', `The set is full: it holds at most ${MAX_MY_DIGITS} digits. Delete some first.`);
      const id = `d-${this.options.now().getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
      const part = partForNew(request.label, digits);
      return [...digits, { ...request, id, part, createdAt: this.options.now().toISOString() }];
    });
  }

  delete(ref: MyDigitRef): Promise<MyDigitsListing> {
    return this.change((digits) => {
      this.find(digits, ref.id);
      return digits.filter((d) => d.id !== ref.id);
    });
  }

  update(request: UpdateMyDigitRequest): Promise<MyDigitsListing> {
    return this.change((digits) => {
      const digit = this.find(digits, request.id);
      const changed = { ...digit, label: request.label ?? digit.label, part: request.part ?? digit.part };
      return digits.map((d) => (d.id === request.id ? changed : d));
    });
  }

  /** The set as one file's text (the format it is stored in): what an export writes and an import reads. */
  async exportText(): Promise<string> {
    const set = await this.current();
    if (set.digits.length === 0)
      throw new StudioError('invalid-input', 'There are no digits to export yet: save some under the drawing pad first.');
    return serializeSet(set);
  }

  /** Writes the set where the save dialog says; null when the person cancels. */
  async exportToFile(): Promise<{ path: string } | null> {
    const choose = this.options.chooseSaveFile;
    if (!choose) throw new StudioError('invalid-input', 'Exporting needs a save dialog, and this front end has none.');
    const text = await this.exportText();
    const target = await choose(MY_DIGITS_FILE);
    if (target === null) return null;
    await writeFileAtomic(target, text).catch((err: unknown) => Promise.reject(toStoreError(err)));
    return { path: target };
  }

  /**
   * Adds an exported set's digits: from `text` (browser mode's upload) or the file the open dialog
   * picks. Digits already here (same id) are skipped; damaged entries are left out and named.
   */
  async import(text: string | undefined): Promise<MyDigitsImport | null> {
    const source = text === undefined ? await this.readChosenFile() : { text, label: 'the uploaded file' };
    if (source === null) return null;
    const incoming = parseSetText(source.text, source.label);
    let outcome: MyDigitsImport = { added: 0, skipped: 0, overLimit: 0, problem: incoming.problem };
    await this.change((digits) => {
      const ids = new Set(digits.map((d) => d.id));
      const fresh = incoming.set.digits.filter((d) => !ids.has(d.id));
      const room = Math.max(0, MAX_MY_DIGITS - digits.length);
      const added = fresh.slice(0, room);
      outcome = {
        ...outcome,
        added: added.length,
        skipped: incoming.set.digits.length - fresh.length,
        overLimit: fresh.length - added.length,
      };
      return added.length > 0 ? [...digits, ...added] : null;
    });
    return outcome;
  }

  private async readChosenFile(): Promise<{ text: string; label: string } | null> {
    const choose = this.options.chooseOpenFile;
    if (!choose) throw new StudioError('invalid-input', 'Importing needs an open dialog or the file itself, and neither was given.');
    const file = await choose(MY_DIGITS_FILE);
    if (file === null) return null;
    const info = await stat(file).catch((err: unknown) => Promise.reject(readError(err, file)));
    if (info.size > MAX_SAVED_TEXT)
      throw new StudioError('invalid-input', `${file}: ${info.size} bytes, more than a set of digits can be (${MAX_SAVED_TEXT}).`);
    const text = await readFile(file, 'utf8').catch((err: unknown) => Promise.reject(readError(err, file)));
    return { text, label: file };
  }

  private find(digits: readonly StoredDigit[], id: string): StoredDigit {
    const digit = digits.find((d) => d.id === id);
    if (!digit) throw new StudioError('not-found', `There is no digit ${id} in your set (deleted in another window?).`);
    return digit;
  }

  /** One change: read, apply (null: nothing to write), revision + 1, write; after any change still in flight. */
  private change(apply: (digits: StoredDigit[]) => StoredDigit[] | null): Promise<MyDigitsListing> {
    const run = this.#changes.then(async () => {
      const set = await this.current();
      const digits = apply([...set.digits]);
      if (digits !== null) {
        const next = { revision: set.revision + 1, digits };
        await this.store.write(next);
        this.#cache = { signature: await this.store.signature(), set: next };
      }
      return this.list();
    });
    this.#changes = run.catch(() => undefined);
    return run;
  }
}
