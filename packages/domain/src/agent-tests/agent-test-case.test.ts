import { describe, expect, it } from 'vitest';
import { agentTestCaseInputSchema, judgeTurn, normalizeForMatch } from './agent-test-case.ts';

describe('agent test verdicts', () => {
  const outcome = { text: 'Claro, el envío a Madrid es GRATIS a partir de 30 €.', toolCalls: ['consultar_envio'] };

  it('passes a turn whose every expectation holds, ignoring case and accents', () => {
    const result = judgeTurn(
      {
        customer: '¿Cuánto cuesta el envio?',
        expect: [
          { type: 'calls_tool', tool: 'consultar_envio' },
          { type: 'mentions', text: 'ENVIO a madrid' },
          { type: 'does_not_mention', text: 'no hacemos envíos' },
          { type: 'does_not_call_tool', tool: 'crear_pedido' },
        ],
      },
      outcome,
    );
    expect(result.passed).toBe(true);
    expect(result.verdicts.every((verdict) => verdict.detail === null)).toBe(true);
  });

  it('fails with a reason an operator can read', () => {
    const result = judgeTurn(
      {
        customer: 'Quiero pedir',
        expect: [
          { type: 'calls_tool', tool: 'crear_pedido' },
          { type: 'does_not_mention', text: 'madrid' },
        ],
      },
      outcome,
    );
    expect(result.passed).toBe(false);
    expect(result.verdicts.map((verdict) => verdict.detail)).toEqual([
      'the agent did not call crear_pedido (it called: consultar_envio)',
      'the answer mentions "madrid"',
    ]);
  });

  it('says "none" when the agent called no tool', () => {
    const result = judgeTurn({ customer: 'Hola', expect: [{ type: 'calls_tool', tool: 'saludar' }] }, { text: 'Hola', toolCalls: [] });
    expect(result.verdicts[0]?.detail).toBe('the agent did not call saludar (it called: none)');
  });

  it('normalizes accents, case and spacing only', () => {
    expect(normalizeForMatch('  Envío   GRATIS ')).toBe('envio gratis');
    expect(normalizeForMatch('año')).toBe('ano');
  });

  it('refuses a case without steps or with an unknown expectation', () => {
    expect(agentTestCaseInputSchema.safeParse({ name: 'x', steps: [] }).success).toBe(false);
    expect(agentTestCaseInputSchema.safeParse({ name: 'x', steps: [{ customer: 'hola', expect: [{ type: 'sounds_nice' }] }] }).success).toBe(false);
    expect(agentTestCaseInputSchema.parse({ name: ' Envío ', steps: [{ customer: 'hola' }] })).toEqual({
      name: 'Envío',
      steps: [{ customer: 'hola', expect: [] }],
    });
  });
});
