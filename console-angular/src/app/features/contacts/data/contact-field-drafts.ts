import type { ApiProblem } from '../../../core/api/api-error';
import type { ContactFieldValueView } from '../../../core/api/api-models';

/** What an input shows for a stored value: the text, the option, YYYY-MM-DD (what <input type=date> uses), or the number. */
export function draftOf(item: Pick<ContactFieldValueView, 'value'>): string {
  return item.value === null ? '' : String(item.value);
}

/**
 * The values to send: only the fields whose input differs from what is stored; an emptied input clears the value.
 * Typed text goes as typed — the API parses it ("12,5" is a number there) and says what is wrong.
 */
export function changedValues(items: readonly ContactFieldValueView[], drafts: Readonly<Record<string, string>>): Record<string, string | null> {
  const changed: Record<string, string | null> = {};
  for (const item of items) {
    const draft = drafts[item.key];
    if (draft === undefined) continue;
    const typed = draft.trim();
    if (typed === draftOf(item)) continue;
    changed[item.key] = typed === '' ? null : typed;
  }
  return changed;
}

/** A 400's per-field messages (`body.values.<key>`), by key, to show under each input. */
export function problemsByField(problem: ApiProblem | null): Record<string, string> {
  if (!problem || !Array.isArray(problem.details)) return {};
  const byField: Record<string, string> = {};
  for (const detail of problem.details as Array<{ path?: unknown; message?: unknown }>) {
    if (typeof detail.path === 'string' && detail.path.startsWith('body.values.') && typeof detail.message === 'string') {
      byField[detail.path.slice('body.values.'.length)] = detail.message;
    }
  }
  return byField;
}

/** The `<a download>` name of an export: contacts-2026-03-01.csv. */
export function exportFileName(now: Date): string {
  return `contacts-${now.toISOString().slice(0, 10)}.csv`;
}
