/** The sweep form's id: the Start button, outside the form, submits it through `form=`. */
export const SWEEP_FORM_ID = 'sweep-plan-form';
