import { describe, expect, it } from 'vitest';
import type { HttpToolView } from '../../../core/api/api-models';
import { formValueOf, missingVariables, parseJsonObject, problemLines, toolRequest } from './http-tool-form';

const tool: HttpToolView = {
  id: 'tool-1',
  name: 'consultar_pedido',
  description: 'Looks up an order.',
  parameters: { type: 'object', properties: { order: { type: 'string' } } },
  method: 'POST',
  url: 'https://n8n.example/webhook/orders',
  headers: [{ name: 'X-Key', set: true }],
  bodyTemplate: '{"order": "{{order}}"}',
  timeoutMs: 5_000,
  active: true,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
};

describe('the HTTP tool form', () => {
  it('keeps a stored header by sending it without a value, and sends a new value when typed', () => {
    const value = formValueOf(tool);
    expect(value.headers).toEqual([{ name: 'X-Key', value: '', stored: true }]);
    expect(toolRequest(value).headers).toEqual([{ name: 'X-Key' }]);
    value.headers = [
      { name: 'X-Key', value: 'new', stored: true },
      { name: ' ', value: '', stored: false },
    ];
    expect(toolRequest(value).headers).toEqual([{ name: 'X-Key', value: 'new' }]);
  });

  it('sends an empty template as null and the parameters as an object', () => {
    const request = toolRequest({ ...formValueOf(null), name: ' t ', bodyTemplate: '  ', parameters: '{"type":"object"}' });
    expect(request).toMatchObject({ name: 't', bodyTemplate: null, parameters: { type: 'object' }, timeoutMs: 10_000, active: true });
  });

  it('reads JSON objects only', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonObject('[1]')).toBeNull();
    expect(parseJsonObject('{oops')).toBeNull();
    expect(parseJsonObject('', {})).toEqual({});
  });

  it('finds the missing variables a test reports', () => {
    const problem = {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'x',
      reason: null,
      details: [
        { path: 'body.arguments.order', message: '{{order}} has no value' },
        { path: 'body.contact.phone', message: '{{contact.phone}} has no value' },
      ],
    };
    expect(missingVariables(problem)).toEqual(['order', 'contact.phone']);
    expect(missingVariables({ ...problem, details: [{ path: 'body.name', message: 'bad' }] })).toBeNull();
    expect(problemLines({ ...problem, details: [{ path: 'body.bodyTemplate', message: 'is not JSON' }] })).toEqual(['bodyTemplate: is not JSON']);
  });
});
