import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/** The API's rule (maxBufferSeconds ≥ bufferSeconds), checked before the request so the field can say it. */
export const maxWaitCoversBuffer: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const buffer = Number(group.get('bufferSeconds')?.value);
  const maximum = Number(group.get('maxBufferSeconds')?.value);
  return Number.isFinite(buffer) && Number.isFinite(maximum) && maximum < buffer ? { maxBelowBuffer: true } : null;
};

/** An IANA time zone the browser knows (the API checks the same with Intl). */
export const knownTimeZone: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = String(control.value ?? '');
  if (!value) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return null;
  } catch {
    return { timeZone: true };
  }
};
