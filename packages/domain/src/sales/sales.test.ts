import { describe, expect, it } from 'vitest';
import { formatMinorAsDecimal, formatMoney, isCurrencyCode, minorUnitDigits, parseDecimalToMinor } from './money.ts';
import {
  assertTransition,
  canTransition,
  nextFulfilmentStatus,
  OrderTransitionError,
  orderStatuses,
  orderTransitions,
  type OrderStatus,
} from './order-status.ts';
import { priceOrder, type CataloguePrice } from './order-pricing.ts';
import { csvCell, parseProductCsv, productsToCsv } from './product-csv.ts';
import { normalizeSearchText, productSearchText } from './product-search-text.ts';
import { planAllowsPaymentLinks } from './payment-links.ts';

describe('money', () => {
  it('knows ISO currencies and their minor digits', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XXY')).toBe(false);
    expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('reads decimals into minor units without floating point, and writes them back', () => {
    expect(parseDecimalToMinor('12.5', 'EUR')).toBe(1250);
    expect(parseDecimalToMinor('12,50', 'EUR')).toBe(1250);
    expect(parseDecimalToMinor('0.10', 'EUR')).toBe(10);
    expect(parseDecimalToMinor('1200', 'JPY')).toBe(1200);
    expect(parseDecimalToMinor('12.345', 'EUR')).toBeNull();
    expect(parseDecimalToMinor('1.5', 'JPY')).toBeNull();
    expect(parseDecimalToMinor('-3', 'EUR')).toBeNull();
    expect(parseDecimalToMinor('abc', 'EUR')).toBeNull();
    expect(formatMinorAsDecimal(1250, 'EUR')).toBe('12.50');
    expect(formatMinorAsDecimal(5, 'EUR')).toBe('0.05');
    expect(formatMinorAsDecimal(1200, 'JPY')).toBe('1200');
    expect(formatMoney({ amountMinor: 1250, currency: 'EUR' }, 'en')).toBe('€12.50');
  });
});

describe('order status', () => {
  const allowed: Array<[OrderStatus, OrderStatus]> = [
    ['PENDING', 'AWAITING_VOUCHER'],
    ['PENDING', 'PAID'],
    ['PENDING', 'CANCELLED'],
    ['AWAITING_VOUCHER', 'PAID'],
    ['AWAITING_VOUCHER', 'CANCELLED'],
    ['PAID', 'PROCESSING'],
    ['PAID', 'CANCELLED'],
    ['PROCESSING', 'SHIPPED'],
    ['PROCESSING', 'CANCELLED'],
    ['SHIPPED', 'DELIVERED'],
  ];

  it('allows exactly the moves of the table, and refuses every other pair with the current status', () => {
    for (const from of orderStatuses) {
      for (const to of orderStatuses) {
        const expected = allowed.some(([a, b]) => a === from && b === to);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
        if (expected) expect(() => assertTransition(from, to)).not.toThrow();
        else {
          const error = (() => {
            try {
              assertTransition(from, to);
            } catch (thrown) {
              return thrown;
            }
            return null;
          })();
          expect(error).toBeInstanceOf(OrderTransitionError);
          expect((error as OrderTransitionError).current).toBe(from);
          expect((error as OrderTransitionError).requested).toBe(to);
        }
      }
    }
    expect(orderTransitions.DELIVERED).toEqual([]);
    expect(orderTransitions.CANCELLED).toEqual([]);
  });

  it('says what is possible from where the order is', () => {
    expect(new OrderTransitionError('SHIPPED', 'PAID').message).toBe('The order is SHIPPED: it can become DELIVERED, not PAID.');
    expect(new OrderTransitionError('DELIVERED', 'CANCELLED').message).toBe('The order is DELIVERED, which is final: it cannot become CANCELLED.');
  });

  it('walks the quick actions Paid → Processing → Shipped → Delivered', () => {
    expect(nextFulfilmentStatus('PAID')).toBe('PROCESSING');
    expect(nextFulfilmentStatus('PROCESSING')).toBe('SHIPPED');
    expect(nextFulfilmentStatus('SHIPPED')).toBe('DELIVERED');
    expect(nextFulfilmentStatus('DELIVERED')).toBeNull();
    expect(nextFulfilmentStatus('AWAITING_VOUCHER')).toBeNull();
  });
});

describe('order pricing', () => {
  const product = (overrides: Partial<CataloguePrice> & { id: string }): CataloguePrice => ({
    name: overrides.id,
    sku: null,
    priceMinor: 1000,
    currency: 'EUR',
    active: true,
    stock: null,
    ...overrides,
  });
  const catalogue = new Map(
    [
      product({ id: 'pan', name: 'Pan integral', priceMinor: 250 }),
      product({ id: 'cafe', name: 'Café', priceMinor: 1_299, stock: 3 }),
      product({ id: 'viejo', active: false }),
      product({ id: 'dolares', currency: 'USD' }),
    ].map((entry) => [entry.id, entry]),
  );

  it('prices every line from the catalogue and merges repeated products', () => {
    const result = priceOrder(
      [
        { productId: 'pan', quantity: 2 },
        { productId: 'cafe', quantity: 1 },
        { productId: 'pan', quantity: 1 },
      ],
      catalogue,
    );
    expect(result).toEqual({
      ok: true,
      order: {
        currency: 'EUR',
        totalMinor: 3 * 250 + 1_299,
        lines: [
          { productId: 'pan', name: 'Pan integral', sku: null, quantity: 3, unitPriceMinor: 250, lineTotalMinor: 750 },
          { productId: 'cafe', name: 'Café', sku: null, quantity: 1, unitPriceMinor: 1_299, lineTotalMinor: 1_299 },
        ],
      },
    });
  });

  it('lists every problem: bad quantities, unknown, inactive, out of stock, mixed currencies, empty', () => {
    const result = priceOrder(
      [
        { productId: 'pan', quantity: -1 },
        { productId: 'pan', quantity: 1.5 },
        { productId: 'nope', quantity: 1 },
        { productId: 'viejo', quantity: 1 },
        { productId: 'cafe', quantity: 4 },
      ],
      catalogue,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => problem.code)).toEqual([
      'INVALID_QUANTITY',
      'INVALID_QUANTITY',
      'UNKNOWN_PRODUCT',
      'INACTIVE_PRODUCT',
      'OUT_OF_STOCK',
    ]);
    const mixed = priceOrder(
      [
        { productId: 'pan', quantity: 1 },
        { productId: 'dolares', quantity: 1 },
      ],
      catalogue,
    );
    expect(!mixed.ok && mixed.problems.map((problem) => problem.code)).toEqual(['MIXED_CURRENCIES']);
    expect(priceOrder([], catalogue)).toMatchObject({ ok: false, problems: [{ code: 'EMPTY_ORDER' }] });
  });
});

describe('product search text', () => {
  it('ignores case, accents and punctuation', () => {
    expect(normalizeSearchText('  Café con Leche (Descafeinado)! ')).toBe('cafe con leche descafeinado');
    expect(normalizeSearchText('PIÑA-Colada')).toBe('pina colada');
    expect(productSearchText({ name: 'Camisa Azul', category: 'Ropa', sku: 'CAM-AZ-M' })).toBe('camisa azul ropa cam az m');
  });
});

describe('payment links', () => {
  it('are not part of the free plan', () => {
    expect(planAllowsPaymentLinks('free')).toBe(false);
    expect(planAllowsPaymentLinks('pro')).toBe(true);
  });
});

describe('product CSV', () => {
  it('reads a valid file: quoted fields, semicolons, BOM, CRLF, decimal prices, optional columns', () => {
    const text = '\uFEFFsku;name;price;currency;stock;active\r\nPAN-1;"Pan ""integral""; 500 g";2,50;eur;;sí\r\n;Café;12;EUR;7;no\r\n\r\n';
    expect(parseProductCsv(text)).toEqual({
      errors: [],
      columns: ['sku', 'name', 'price', 'currency', 'stock', 'active'],
      rows: [
        {
          line: 2,
          sku: 'PAN-1',
          name: 'Pan "integral"; 500 g',
          description: '',
          priceMinor: 250,
          currency: 'EUR',
          stock: null,
          category: null,
          active: true,
        },
        { line: 3, sku: null, name: 'Café', description: '', priceMinor: 1200, currency: 'EUR', stock: 7, category: null, active: false },
      ],
    });
  });

  it('reports every bad row with its line and reason', () => {
    const text = [
      'sku,name,price,currency,stock',
      'A,Camisa,10.00,EUR,1',
      'B,,10.00,EUR,1',
      'C,Pantalón,-4,EUR,1',
      'A,"Zapatos',
      'nike",10,ZZZ,2',
      'D,Gorra,5,EUR,dos',
    ].join('\n');
    expect(parseProductCsv(text).errors).toEqual([
      { line: 3, reason: 'name is empty' },
      { line: 4, reason: 'price "-4" is not a non-negative amount in EUR' },
      { line: 5, reason: 'currency "ZZZ" is not an ISO 4217 code; sku "A" is also on line 2' },
      { line: 7, reason: 'stock "dos" is not a whole number ≥ 0' },
    ]);
  });

  it('names header problems and unterminated quotes', () => {
    expect(parseProductCsv('nombre,precio\nx,1').errors).toEqual([
      {
        line: 1,
        reason:
          'missing column(s): name, price, currency; unknown column(s): nombre, precio (known: sku, name, description, price, currency, stock, category, active)',
      },
    ]);
    expect(parseProductCsv('name,price,currency\n"Pan,1,EUR').errors).toEqual([{ line: 2, reason: 'a quoted field is never closed' }]);
    expect(parseProductCsv('').errors).toEqual([{ line: 1, reason: 'the file is empty: the first line names the columns' }]);
    expect(parseProductCsv('name,price,currency\n').errors).toEqual([{ line: 2, reason: 'the file has no product rows' }]);
  });

  it('guards against formula injection on export, and an export imports back unchanged', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+34 600')).toBe("'+34 600");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('Pan, integral')).toBe('"Pan, integral"');
    const products = [
      { sku: 'X-1', name: '=cmd|calc', description: 'línea 1\nlínea 2', priceMinor: 1999, currency: 'EUR', stock: 3, category: 'Ropa', active: true },
      { sku: null, name: 'Té', description: '', priceMinor: 500, currency: 'JPY', stock: null, category: null, active: false },
    ];
    const csv = productsToCsv(products);
    expect(csv.split('\r\n')[1]).toBe(`X-1,'=cmd|calc,"línea 1\nlínea 2",19.99,EUR,3,Ropa,true`);
    const back = parseProductCsv(csv);
    expect(back.errors).toEqual([]);
    expect(back.rows.map(({ line: _line, ...row }) => row)).toEqual(products);
  });
});
