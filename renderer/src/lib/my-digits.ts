/**
 * Words and groupings for "my digits" (issue 17): what each part is called, the gallery's rows
 * per label, and the one-line verdict under a fine-tune's before and after. Pure: no DOM.
 */
import type { FineTuneReport, MyDigit, MyDigitPart } from '../../../common/api';
import { formatPercent } from './format';

/** "fine-tuning" or "scoring": what a digit in that part is for. */
export function partWord(part: MyDigitPart): string {
  return part === 'fine-tune' ? 'fine-tuning' : 'scoring';
}

/** The other part: where the gallery's toggle moves a digit. */
export function otherPart(part: MyDigitPart): MyDigitPart {
  return part === 'fine-tune' ? 'score' : 'fine-tune';
}

/** The digits of each label 0–9, oldest first; labels without digits are left out. */
export function byLabel(digits: readonly MyDigit[]): { label: number; digits: MyDigit[] }[] {
  const rows = Array.from({ length: 10 }, (_, label) => ({ label, digits: [] as MyDigit[] }));
  for (const digit of digits) rows[digit.label].digits.push(digit);
  return rows.filter((row) => row.digits.length > 0);
}

/** A change of accuracy in points, signed: "+19.3 points", "−0.5 points", "no change". */
export function pointsChange(before: number, after: number): string {
  const points = Math.round((after - before) * 1000) / 10;
  if (points === 0) return 'no change';
  return `${points > 0 ? '+' : '\u2212'}${Math.abs(points).toFixed(1)} points`;
}

/** Below this many points of MNIST accuracy lost, a fine-tune has not forgotten MNIST. */
export const FORGETTING_POINTS = 1;

/** One sentence on a fine-tune: did it learn the person's hand, and did it keep MNIST? */
export function fineTuneVerdict(report: FineTuneReport): string {
  const mine = report.before.myDigits;
  const scored = mine && mine.accuracy !== null && report.after.myDigits.accuracy !== null;
  const hand = scored
    ? `On your ${mine.count} score digit${mine.count === 1 ? '' : 's'}: ${pointsChange(mine.accuracy!, report.after.myDigits.accuracy!)}`
    : 'No score digits to measure your handwriting on yet: move some to scoring';
  const { testAccuracy: before } = report.before;
  const { testAccuracy: after } = report.after;
  if (before === null || after === null) return `${hand}.`;
  const lost = (before - after) * 100;
  const mnist =
    lost > FORGETTING_POINTS ? `it forgot some MNIST (${pointsChange(before, after)})` : `MNIST kept (${pointsChange(before, after)})`;
  return `${hand}; ${mnist}.`;
}

/** "58.3 %", or "—" for a score with nothing to score. */
export function scoreText(accuracy: number | null | undefined): string {
  return accuracy === null || accuracy === undefined ? '\u2014' : formatPercent(accuracy);
}
