/**
 * The sweep form's values, their check (lib/sweep-form.ts: the trial count, instantly) and the
 * service's estimate of the plan (previewSweep: how long, which needs this machine's saved runs,
 * so it cannot be computed here). The estimate is asked for PREVIEW_DELAY_MS after the last
 * edit, at most one call in flight (lib/latest.ts). The values that started the last sweep are
 * remembered, as the training form's are.
 */
import { DEFAULT_HYPERPARAMS, type WireError } from '../../../common/api';
import type { SweepableField, SweepPlan, SweepPreview } from '../../../common/sweep';
import { toWireError } from '../lib/errors';
import type { FieldName } from '../lib/fields';
import { LatestRunner } from '../lib/latest';
import {
  checkSweepForm,
  isChoiceField,
  mergeStoredForm,
  nextDrawSeed,
  planKeyOf,
  storableForm,
  sweepFormFrom,
  type DimensionMode,
  type SweepFormValues,
} from '../lib/sweep-form';
import { settings } from './settings.svelte';
import { studio } from './studio.svelte';

const STORAGE_KEY = 'lstm-studio:sweep-form';
/** Typing "128" asks once, not three times. */
const PREVIEW_DELAY_MS = 300;

interface PreviewRequest {
  key: string;
  plan: SweepPlan;
}

/** A fresh form on the Train form's settings (the defaults where those do not validate). */
function fromTrainForm(): SweepFormValues {
  return sweepFormFrom(settings.validation.ok ? settings.validation.request.hyperparams : DEFAULT_HYPERPARAMS);
}

function restore(): SweepFormValues {
  const fallback = fromTrainForm();
  try {
    return mergeStoredForm(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null'), fallback);
  } catch {
    return fallback; // no storage (private mode) or damaged JSON
  }
}

class SweepForm {
  values = $state<SweepFormValues>(restore());
  check = $derived(checkSweepForm(this.values));
  /** The plan as the service will see it (less where it runs), to tell whether an estimate is still this plan's. */
  planKey = $derived(this.check.ok ? planKeyOf(this.check.plan) : null);
  #preview = $state.raw<{ key: string; preview: SweepPreview } | null>(null);
  #refusal = $state.raw<{ key: string; error: WireError } | null>(null);
  /** The service's estimate of the plan on screen; null while it is being asked for. */
  preview = $derived(this.#preview && this.#preview.key === this.planKey ? this.#preview.preview : null);
  /** Why the service could not estimate the plan on screen (`invalid-input`: it would refuse to start it). */
  refusal = $derived(this.#refusal && this.#refusal.key === this.planKey ? this.#refusal.error : null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #runner = new LatestRunner<PreviewRequest, SweepPreview>((request) => studio.bridge!.previewSweep(request.plan), {
    onResult: (preview, request) => (this.#preview = { key: request.key, preview }),
    onError: (error, request) => (this.#refusal = { key: request.key, error: toWireError(error) }),
  });

  /** Asks for the current plan's estimate after a pause in the typing (called from an effect). */
  schedulePreview(): void {
    clearTimeout(this.#timer);
    const check = this.check;
    const key = this.planKey;
    if (!check.ok || !key || !studio.bridge || this.#preview?.key === key || this.#refusal?.key === key) return;
    const { queue: _where, ...plan } = check.plan; // the estimate is the same wherever it runs
    this.#timer = setTimeout(() => this.#runner.submit({ key, plan }), PREVIEW_DELAY_MS);
  }

  /** Sets a base value (a fixed hyperparameter, the budget, the first seed) from its input's text. */
  setBase(name: Exclude<FieldName, 'name'>, text: string): void {
    this.values.base = { ...this.values.base, [name]: text };
  }

  /**
   * Switches how a field is set. A list or range starts from the fixed value, so switching
   * never shows an empty box the person must fill before anything works.
   */
  setMode(field: SweepableField, mode: DimensionMode): void {
    const dimension = this.values.vary[field];
    const fixed = this.values.base[field];
    if (mode === 'list' && !isChoiceField(field) && dimension.list.trim() === '') dimension.list = fixed;
    if (mode === 'list' && isChoiceField(field) && dimension.choices.length === 0) dimension.choices = [fixed];
    if (mode === 'range' && dimension.min.trim() === '' && dimension.max.trim() === '') {
      dimension.min = fixed;
      dimension.max = fixed;
    }
    dimension.mode = mode;
  }

  /** Ticks or unticks one option of a choice field, keeping the options' order. */
  toggleChoice(field: SweepableField, option: string, options: readonly string[], isTicked: boolean): void {
    const chosen = this.values.vary[field].choices;
    this.values.vary[field].choices = options.filter((o) => (o === option ? isTicked : chosen.includes(o)));
  }

  /** "New draw": another seed for the random search, so the same ranges give other configurations. */
  newDraw(): void {
    this.values.sweepSeed = nextDrawSeed(this.values.sweepSeed);
  }

  /** Starts again from the Train form's settings, nothing varied. */
  resetFromTrainForm(): void {
    this.values = fromTrainForm();
  }

  /** Remembers the current values for next time (a Redis password never: lib/sweep-form.ts, storableForm). */
  save(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(storableForm(this.values)));
    } catch {
      // Storage full or unavailable: remembering the form is a convenience, not a requirement.
    }
  }
}

/** The sweep form's shared state: it outlives the view, so switching tabs keeps the plan. */
export const sweepForm = new SweepForm();
