/** The hyperparameter form's id: the Start button, outside the form, submits it through `form=`. */
export const HYPERPARAMS_FORM_ID = 'hyperparams-form';
