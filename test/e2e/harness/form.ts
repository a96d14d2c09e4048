import type { Page } from 'playwright-core';

/** Hyperparameter form values by field name (the `hp-<field>` test ids). */
export type FormValues = Partial<
  Record<
    | 'units'
    | 'layers'
    | 'batchSize'
    | 'budget'
    | 'validationInterval'
    | 'seed'
    | 'name'
    | 'learningRate'
    | 'rotation'
    | 'shear'
    | 'aspect'
    | 'thickness'
    | 'elastic',
    string
  >
> & {
  budgetUnit?: 'iterations' | 'epochs';
  cell?: 'lstm' | 'gru' | 'rnn';
  optimizer?: 'adam' | 'sgd' | 'rmsprop';
};

const SELECTS = new Set(['budgetUnit', 'cell', 'optimizer']);

/** Fills the form the way a person would: select options and type into text boxes. */
export async function fillHyperparams(page: Page, values: FormValues): Promise<void> {
  for (const [field, value] of Object.entries(values)) {
    const control = page.getByTestId(`hp-${field}`);
    if (SELECTS.has(field)) await control.selectOption(value);
    else await control.fill(value);
  }
}

/** A run short enough for a 2-core CI machine: a few seconds of training. */
export const QUICK_RUN: FormValues = {
  units: '8',
  budgetUnit: 'iterations',
  budget: '40',
  batchSize: '32',
  validationInterval: '20',
  seed: '1',
  name: 'e2e quick run',
};

/** Reads the progress bar's aria-valuenow (iterations done). */
export async function progressValue(page: Page): Promise<number> {
  return Number((await page.getByTestId('progress-bar').getAttribute('aria-valuenow')) ?? '0');
}
