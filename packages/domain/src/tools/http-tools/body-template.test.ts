import { describe, expect, it } from 'vitest';
import { bodyTemplateVariables, checkBodyTemplate, renderBodyTemplate, type HttpToolContextValues } from './body-template.ts';

const context: HttpToolContextValues = {
  'contact.phone': '+34600111222',
  'contact.name': 'Ana "la jefa"\nGarcía',
  'conversation.id': 'c0ffee00-0000-4000-8000-000000000001',
  'business.name': 'Panadería Sol',
};

function body(template: string | null, args: Record<string, unknown> = {}, values: HttpToolContextValues = context): unknown {
  const result = renderBodyTemplate(template, args, values);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return JSON.parse(result.body);
}

describe('renderBodyTemplate', () => {
  it('writes a placeholder that is a whole string, or outside strings, as the JSON value (types kept)', () => {
    expect(
      body('{"city": "{{city}}", "count": {{count}}, "flags": "{{flags}}", "when": {{when}}}', {
        city: 'Madrid',
        count: 3,
        flags: [true, null],
        when: { day: 1 },
      }),
    ).toEqual({
      city: 'Madrid',
      count: 3,
      flags: [true, null],
      when: { day: 1 },
    });
  });

  it('escapes a value inside a longer string so quotes and newlines cannot break out', () => {
    expect(body('{"text": "Hola {{contact.name}}, de {{business.name}}"}')).toEqual({ text: 'Hola Ana "la jefa"\nGarcía, de Panadería Sol' });
    expect(body('{"note": "n={{n}}"}', { n: { a: '"}' } })).toEqual({ note: 'n={"a":"\\"}"}' });
    const injection = '", "admin": true, "x": "';
    expect(body('{"q": "{{q}}", "r": "say {{q}}"}', { q: injection })).toEqual({ q: injection, r: `say ${injection}` });
  });

  it('fills the context variables, which win over an argument of the same name', () => {
    expect(body('{"phone": "{{contact.phone}}", "conversation": "{{ conversation.id }}"}', { contact: { phone: 'forged' } })).toEqual({
      phone: '+34600111222',
      conversation: context['conversation.id'],
    });
  });

  it('reaches into object arguments with dots, and keeps an explicit null', () => {
    expect(body('{"id": {{order.id}}, "note": {{note}}}', { order: { id: 7 }, note: null })).toEqual({ id: 7, note: null });
  });

  it('lists every missing variable instead of writing a blank', () => {
    expect(
      renderBodyTemplate(
        '{"a": "{{city}}", "b": "x {{contact.name}}", "c": {{city}}, "d": {{order.id}}}',
        { order: {} },
        { ...context, 'contact.name': null },
      ),
    ).toEqual({
      ok: false,
      missing: ['city', 'contact.name', 'order.id'],
    });
  });

  it('leaves escaped quotes and text that only looks like a placeholder alone', () => {
    expect(body('{"a": "say \\"{{word}}\\"", "b": "{{ not closed"}', { word: 'hi' })).toEqual({ a: 'say "hi"', b: '{{ not closed' });
  });

  it('sends the arguments as a JSON object without a template', () => {
    expect(body(null, { city: 'Madrid' })).toEqual({ city: 'Madrid' });
    expect(body('  ', { a: 1 })).toEqual({ a: 1 });
  });
});

describe('checkBodyTemplate', () => {
  it('accepts a template that is JSON once filled and uses known variables', () => {
    expect(
      checkBodyTemplate('{"city": "{{city}}", "n": {{count}}, "who": "{{contact.phone}}", "o": {{order.id}}}', ['city', 'count', 'order']),
    ).toEqual([]);
  });

  it('names templates that are not JSON and variables nobody provides', () => {
    const problems = checkBodyTemplate('{"city": {{city}', ['city']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/not JSON/);
    expect(checkBodyTemplate('{"x": "{{cty}}", "y": "{{contact.email}}"}', ['city'])).toEqual([
      expect.stringContaining('{{cty}}'),
      expect.stringContaining('{{contact.email}}'),
    ]);
  });

  it('lists the variables a template uses', () => {
    expect(bodyTemplateVariables('{"a": "{{x}}", "b": "{{y}} {{x}}", "c": {{contact.name}}}')).toEqual(['x', 'y', 'contact.name']);
  });
});
