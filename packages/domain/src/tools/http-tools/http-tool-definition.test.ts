import { describe, expect, it } from 'vitest';
import { checkParametersSchema, httpToolNamePattern, parameterNames } from './http-tool-definition.ts';

describe('checkParametersSchema', () => {
  it('accepts an object schema with typed properties', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
        size: { type: ['integer', 'null'], enum: [1, 2, null] },
      },
      required: ['city'],
    };
    expect(checkParametersSchema(schema)).toEqual([]);
    expect(parameterNames(schema)).toEqual(['city', 'items', 'size']);
    expect(checkParametersSchema({ type: 'object' })).toEqual([]);
  });

  it('names each problem of an unusable schema', () => {
    expect(checkParametersSchema('{"type":"object"}')).toEqual([{ path: '', message: 'must be a JSON Schema object' }]);
    expect(checkParametersSchema({ type: 'string' })).toEqual([{ path: 'type', message: expect.stringContaining('"object"') }]);
    expect(
      checkParametersSchema({ type: 'object', properties: { a: { type: 'text' }, b: 3 }, required: ['a', 'c'] }).map((problem) => problem.path),
    ).toEqual(['properties.a.type', 'properties.b', 'required']);
  });
});

describe('httpToolNamePattern', () => {
  it('follows the model API rule for function names', () => {
    expect(httpToolNamePattern.test('consultar_pedido-2')).toBe(true);
    expect(httpToolNamePattern.test('with space')).toBe(false);
    expect(httpToolNamePattern.test('x'.repeat(65))).toBe(false);
  });
});
