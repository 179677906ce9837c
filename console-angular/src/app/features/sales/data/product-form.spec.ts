import { describe, expect, it } from 'vitest';
import { importErrors, productBody, productFormValue } from './product-form';

describe('product form', () => {
  const value = { name: ' Pan ', description: '', price: '2,50', currency: 'eur', sku: '', stock: '', category: 'Panadería', active: true };

  it('turns the typed price into minor units and empty fields into null', () => {
    expect(productBody(value)).toEqual({
      name: 'Pan',
      description: '',
      priceMinor: 250,
      currency: 'EUR',
      sku: null,
      stock: null,
      category: 'Panadería',
      active: true,
    });
    expect(productBody({ ...value, price: '2.505' })).toBeNull();
    expect(productBody({ ...value, currency: 'XXX1' })).toBeNull();
    expect(productBody({ ...value, stock: '4' })?.stock).toBe(4);
  });

  it('shows a stored product back as typed values', () => {
    expect(
      productFormValue({ name: 'Pan', description: '', priceMinor: 250, currency: 'EUR', sku: null, stock: 3, category: null, active: true }),
    ).toMatchObject({
      price: '2.50',
      stock: '3',
      sku: '',
    });
  });

  it('reads the import’s per-line errors', () => {
    expect(importErrors([{ line: 3, reason: 'name is empty' }, { path: 'body' }])).toEqual([{ line: 3, reason: 'name is empty' }]);
    expect(importErrors(null)).toEqual([]);
  });
});
