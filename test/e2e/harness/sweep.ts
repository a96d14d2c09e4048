import type { Page } from 'playwright-core';
import type { StudioEvent } from '../../../common/api';
import type { SweepPlanInput } from '../../../common/sweep';
import type { StudioService } from '../../../main/service/service';

/** A sweep plan as a person types it into the Sweeps form (the `sweep-<field>` test ids). */
export interface SweepFormPlan {
  name: string;
  /** Numeric fields to vary, each as the list typed: { units: '8, 16' }. */
  lists: Partial<Record<'units' | 'layers' | 'learningRate' | 'batchSize' | 'dropout' | 'forgetBias', string>>;
  seeds: string;
  batchSize?: string;
  budget: string;
  validationInterval: string;
  firstSeed?: string;
  /** η and the number of rungs; absent: no early stopping. */
  earlyStopping?: { reductionFactor: '2' | '3' | '4'; rungs: '1' | '2' | '3' | '4' };
}

/** Fills the sweep form the way a person would: Fixed/List radios, text boxes and selects. */
export async function planSweep(page: Page, plan: SweepFormPlan): Promise<void> {
  await page.getByTestId('sweep-name').fill(plan.name);
  for (const [field, list] of Object.entries(plan.lists)) {
    await page.getByTestId(`sweep-${field}-mode-list`).check();
    await page.getByTestId(`sweep-${field}-list`).fill(list);
  }
  await page.getByTestId('sweep-seeds').fill(plan.seeds);
  if (plan.batchSize && !plan.lists.batchSize) await page.getByTestId('sweep-batchSize').fill(plan.batchSize);
  await page.getByTestId('sweep-budgetUnit').selectOption('iterations');
  await page.getByTestId('sweep-budget').fill(plan.budget);
  await page.getByTestId('sweep-validationInterval').fill(plan.validationInterval);
  await page.getByTestId('sweep-seed').fill(plan.firstSeed ?? '1');
  const early = page.getByTestId('sweep-early-stopping');
  if (plan.earlyStopping) {
    await early.check();
    await page.getByTestId('sweep-eta').selectOption(plan.earlyStopping.reductionFactor);
    await page.getByTestId('sweep-rungs').selectOption(plan.earlyStopping.rungs);
  } else {
    await early.uncheck();
  }
}

/** Resolves once the opened sweep's results say it has finished. */
export async function sweepFinished(page: Page): Promise<boolean> {
  return (await page.getByTestId('sweep-results').getAttribute('data-status')) === 'done';
}

/**
 * Runs a whole sweep through the service (not the UI), as `trainDirectly` trains a run, and
 * resolves with its id once it has finished; a sweep that ends otherwise fails the setup.
 */
export async function sweepDirectly(service: StudioService, plan: SweepPlanInput): Promise<string> {
  let off = (): void => undefined;
  // Subscribed before the start: the first events may overtake startSweep's reply.
  const ended = new Promise<StudioEvent>((resolve) => {
    off = service.onEvent((event) => event.type === 'sweep' && event.status !== 'running' && resolve(event));
  });
  const { sweepId } = await service.startSweep(plan);
  const event = await ended;
  off();
  if (event.type !== 'sweep' || event.sweepId !== sweepId || event.status !== 'done') {
    throw new Error(`sweep ${sweepId} did not finish: ${JSON.stringify(event)}`);
  }
  return sweepId;
}
