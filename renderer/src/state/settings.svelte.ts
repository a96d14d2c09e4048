/**
 * The hyperparameter form's values, their validation and the presets. The last values that
 * started a run are remembered (localStorage) so the form opens where the person left it.
 */
import { BUDGET_UNITS, CELL_TYPES, DEFAULT_HYPERPARAMS, OPTIMIZERS, type Hyperparams } from '../../../common/api';
import type { FieldName } from '../lib/fields';
import { matchingPreset, PRESETS, validateForm, valuesFromHyperparams, type FormValues, type Preset } from '../lib/form';

const STORAGE_KEY = 'lstm-studio:form-values';

/** Stored values, if present and shaped like the form; anything else is ignored. */
function restore(): FormValues | null {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return null;
    const defaults = valuesFromHyperparams(DEFAULT_HYPERPARAMS);
    const merged = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof FormValues)[]) {
      const value = (stored as Record<string, unknown>)[key];
      if (typeof value === 'string') (merged as Record<string, string>)[key] = value;
    }
    // Select values must still be valid options; otherwise start from the defaults.
    return validateForm(merged).ok ? merged : null;
  } catch {
    return null; // no storage (private mode) or damaged JSON: the defaults will do
  }
}

class Settings {
  values = $state<FormValues>(restore() ?? valuesFromHyperparams(DEFAULT_HYPERPARAMS));
  /** Field errors and, when valid, the start request. */
  validation = $derived(validateForm(this.values));
  /** The preset the form currently matches exactly, if any. */
  activePreset = $derived(matchingPreset(this.values));

  /** Loads a preset's hyperparameters, keeping the run name. */
  applyPreset(id: Preset['id']): void {
    const preset = PRESETS.find((p) => p.id === id);
    if (preset) this.values = valuesFromHyperparams(preset.hyperparams, this.values.name);
  }

  /**
   * Fills the form with `hyperparams` and names the run `name`: another view's "train this"
   * (the Sweeps view's best configuration). Like a preset, it replaces every field.
   */
  fill(hyperparams: Hyperparams, name = ''): void {
    this.values = valuesFromHyperparams(hyperparams, name);
  }

  /** Sets one field from its input's text; select values outside their options are ignored. */
  set(name: FieldName, text: string): void {
    if (name === 'cell' || name === 'optimizer' || name === 'budgetUnit') {
      const options: readonly string[] = { cell: CELL_TYPES, optimizer: OPTIMIZERS, budgetUnit: BUDGET_UNITS }[name];
      if (options.includes(text)) this.values = { ...this.values, [name]: text };
      return;
    }
    this.values[name] = text;
  }

  /** Remembers the current values for next time. */
  save(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.values));
    } catch {
      // Storage full or unavailable: remembering the form is a convenience, not a requirement.
    }
  }
}

/** The form's shared state. */
export const settings = new Settings();
