import { describe, expect, it } from 'vitest';
import {
  contactFieldKeyPattern,
  describeContactFieldForModel,
  formatContactFieldValue,
  isCalendarDate,
  normalizeEnumOptions,
  parseContactFieldValue,
} from './contact-field.ts';

const text = { type: 'TEXT' as const, options: [] };
const number = { type: 'NUMBER' as const, options: [] };
const date = { type: 'DATE' as const, options: [] };
const size = { type: 'ENUM' as const, options: ['S', 'M', 'Large'] };

describe('contact field values', () => {
  it('trims text and refuses empty or overlong text and non-strings', () => {
    expect(parseContactFieldValue(text, '  Madrid \n')).toEqual({ ok: true, value: { type: 'TEXT', text: 'Madrid' } });
    expect(parseContactFieldValue(text, '   ')).toEqual({ ok: false, error: 'must not be empty' });
    expect(parseContactFieldValue(text, 'x'.repeat(501))).toEqual({ ok: false, error: 'must be at most 500 characters' });
    expect(parseContactFieldValue(text, 'x'.repeat(500)).ok).toBe(true);
    expect(parseContactFieldValue(text, 12)).toEqual({ ok: false, error: 'must be a string' });
  });

  it('reads numbers with a dot or a decimal comma, and refuses thousands separators and non-finite values', () => {
    expect(parseContactFieldValue(number, '12,5')).toEqual({ ok: true, value: { type: 'NUMBER', number: 12.5 } });
    expect(parseContactFieldValue(number, ' -3.25 ')).toEqual({ ok: true, value: { type: 'NUMBER', number: -3.25 } });
    expect(parseContactFieldValue(number, '+7')).toEqual({ ok: true, value: { type: 'NUMBER', number: 7 } });
    expect(parseContactFieldValue(number, ',5')).toEqual({ ok: true, value: { type: 'NUMBER', number: 0.5 } });
    expect(parseContactFieldValue(number, 42)).toEqual({ ok: true, value: { type: 'NUMBER', number: 42 } });
    expect(parseContactFieldValue(number, '-0')).toEqual({ ok: true, value: { type: 'NUMBER', number: 0 } });
    for (const bad of ['1.234,5', '1,234.5', '1 000', '12abc', '', 'NaN', 'Infinity', '1e3', '0x10', '12.']) {
      expect(parseContactFieldValue(number, bad), bad).toMatchObject({ ok: false, error: expect.stringContaining('must be a number') });
    }
    expect(parseContactFieldValue(number, Number.POSITIVE_INFINITY)).toEqual({ ok: false, error: 'must be a finite number' });
    expect(parseContactFieldValue(number, Number.NaN)).toEqual({ ok: false, error: 'must be a finite number' });
    expect(parseContactFieldValue(number, 2 ** 60)).toEqual({ ok: false, error: 'is too large' });
    expect(parseContactFieldValue(number, true).ok).toBe(false);
  });

  it('accepts only real calendar dates written YYYY-MM-DD', () => {
    expect(parseContactFieldValue(date, '2026-02-28')).toEqual({ ok: true, value: { type: 'DATE', date: '2026-02-28' } });
    expect(parseContactFieldValue(date, '2028-02-29').ok).toBe(true);
    for (const bad of [
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '26-01-01',
      '2026-1-5',
      '05/01/2026',
      '2026-01-05T10:00:00Z',
    ]) {
      expect(parseContactFieldValue(date, bad), bad).toEqual({ ok: false, error: 'must be a date written YYYY-MM-DD' });
    }
    expect(isCalendarDate('0000-01-01')).toBe(false);
    expect(isCalendarDate('0099-03-01')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
  });

  it('matches an enum option ignoring case and spaces and stores the option as defined', () => {
    expect(parseContactFieldValue(size, ' large ')).toEqual({ ok: true, value: { type: 'ENUM', text: 'Large' } });
    expect(parseContactFieldValue(size, 's')).toEqual({ ok: true, value: { type: 'ENUM', text: 'S' } });
    expect(parseContactFieldValue(size, 'XL')).toEqual({ ok: false, error: 'must be one of: S, M, Large' });
  });

  it('formats values back to text', () => {
    expect(formatContactFieldValue({ type: 'NUMBER', number: 12.5 })).toBe('12.5');
    expect(formatContactFieldValue({ type: 'DATE', date: '2026-01-05' })).toBe('2026-01-05');
    expect(formatContactFieldValue({ type: 'ENUM', text: 'M' })).toBe('M');
  });
});

describe('contact field definitions', () => {
  it('keys are lower snake case starting with a letter, at most 40 characters', () => {
    for (const good of ['city', 'shoe_size', 'a1', 'x'.repeat(40)]) expect(contactFieldKeyPattern.test(good), good).toBe(true);
    for (const bad of ['City', '1city', '_city', 'shoe-size', 'shoe size', '', 'x'.repeat(41), 'ciudad_ñ'])
      expect(contactFieldKeyPattern.test(bad), bad).toBe(false);
  });

  it('normalizes enum options and refuses duplicates that differ only in case', () => {
    expect(normalizeEnumOptions([' S ', '', 'M'])).toEqual({ ok: true, options: ['S', 'M'] });
    expect(normalizeEnumOptions(['  '])).toEqual({ ok: false, error: 'an enum field needs at least one option' });
    expect(normalizeEnumOptions(['Madrid', 'madrid'])).toEqual({ ok: false, error: 'option "madrid" is listed twice (case is ignored)' });
    expect(normalizeEnumOptions(Array.from({ length: 51 }, (_, index) => `o${index}`)).ok).toBe(false);
  });

  it('describes a field for the model with its type and meaning', () => {
    expect(describeContactFieldForModel({ key: 'size', label: 'Size', type: 'ENUM', options: ['S', 'M'], description: 'T-shirt size' })).toBe(
      'size (Size, one of: S, M): T-shirt size',
    );
    expect(describeContactFieldForModel({ key: 'birthday', label: 'Birthday', type: 'DATE', options: [], description: '' })).toBe(
      'birthday (Birthday, date YYYY-MM-DD)',
    );
  });
});
