import type { MetaError } from './meta-webhook.schema.ts';
import type { NormalizedError } from './normalized-webhook.ts';

/** Meta shows `from` both as `+16505551234` and `16505551234`; we keep digits without the plus. */
export function stripPlus(value: string): string {
  return value.trim().replace(/^\+/, '');
}

/** Meta timestamps are strings of Unix seconds. */
export function unixSecondsToIso(value: string): string {
  if (!/^\d{1,12}$/.test(value.trim())) throw new Error(`timestamp ${JSON.stringify(value)} is not Unix seconds`);
  return new Date(Number(value) * 1000).toISOString();
}

export function normalizeErrors(errors: MetaError[]): NormalizedError[] {
  return errors.map((error) => {
    const normalized: NormalizedError = { code: error.code };
    if (error.title !== undefined) normalized.title = error.title;
    if (error.message !== undefined) normalized.message = error.message;
    if (error.error_data?.details !== undefined) normalized.details = error.error_data.details;
    return normalized;
  });
}
