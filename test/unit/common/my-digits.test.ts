import { describe, expect, it } from 'vitest';
import { partForNew } from '../../../common/my-digits';
import type { MyDigitPart } from '../../../common/my-digits';

describe('partForNew', () => {
  it('alternates per label, scoring first, so a label has both parts once it has two digits', () => {
    const digits: { label: number; part: MyDigitPart }[] = [];
    for (const label of [3, 3, 7, 3, 7, 3]) digits.push({ label, part: partForNew(label, digits) });
    expect(digits.map((d) => d.part)).toEqual(['score', 'fine-tune', 'score', 'score', 'fine-tune', 'fine-tune']);
  });

  it('fills the smaller part after a flip or a delete', () => {
    expect(partForNew(1, [{ label: 1, part: 'fine-tune' }])).toBe('score');
    expect(
      partForNew(1, [
        { label: 1, part: 'score' },
        { label: 1, part: 'score' },
      ]),
    ).toBe('fine-tune');
    expect(partForNew(2, [{ label: 1, part: 'score' }])).toBe('score');
  });
});
