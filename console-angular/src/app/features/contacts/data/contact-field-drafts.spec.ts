import { describe, expect, it } from 'vitest';
import type { ContactFieldValueView } from '../../../core/api/api-models';
import { changedValues, draftOf, exportFileName, problemsByField } from './contact-field-drafts';

function item(key: string, value: string | number | null, type: ContactFieldValueView['type'] = 'TEXT'): ContactFieldValueView {
  return { key, label: key, type, options: [], value, setBy: value === null ? null : 'AI', setByUserId: null, updatedAt: null };
}

describe('contact field drafts', () => {
  it('shows stored values as input text', () => {
    expect(draftOf(item('size', 38.5, 'NUMBER'))).toBe('38.5');
    expect(draftOf(item('city', null))).toBe('');
  });

  it('sends only what changed, and an emptied input as null', () => {
    const items = [item('city', 'Madrid'), item('shoe_size', 38.5, 'NUMBER'), item('birthday', null, 'DATE'), item('note', 'x')];
    expect(changedValues(items, { city: ' Madrid ', shoe_size: '39,5', birthday: '1990-05-17', note: '' })).toEqual({
      shoe_size: '39,5',
      birthday: '1990-05-17',
      note: null,
    });
    expect(changedValues(items, {})).toEqual({});
    expect(changedValues(items, { birthday: '  ' })).toEqual({});
  });

  it('maps a 400 to messages per field', () => {
    const problem = {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request body is invalid.',
      reason: null,
      details: [
        { path: 'body.values.shoe_size', message: 'must be a number' },
        { path: 'body.other', message: 'ignored' },
      ],
    };
    expect(problemsByField(problem)).toEqual({ shoe_size: 'must be a number' });
    expect(problemsByField(null)).toEqual({});
  });

  it('names the export after the day', () => {
    expect(exportFileName(new Date('2026-03-01T23:00:00Z'))).toBe('contacts-2026-03-01.csv');
  });
});
