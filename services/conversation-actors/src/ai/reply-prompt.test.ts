import { describe, expect, it } from 'vitest';
import { buildReplyPrompt, type PromptMessage } from './reply-prompt.ts';

const at = new Date('2026-03-02T09:30:00.000Z');
let sequence = 0;
const stored = (overrides: Partial<PromptMessage>): PromptMessage => ({
  id: `m${(sequence += 1)}`,
  direction: 'INBOUND',
  author: 'CUSTOMER',
  kind: 'text',
  text: null,
  content: {},
  sentAt: at,
  ...overrides,
});

describe('buildReplyPrompt', () => {
  it('resolves variables in the business timezone, keeps the dialogue order and puts the burst last', () => {
    const turns = buildReplyPrompt({
      systemPrompt: 'You work for {{business_name}}. Today is {{date}} {{time}}. Customer: {{contact_name}}.',
      variables: { now: at, timezone: 'America/Bogota', businessName: 'Panadería Sol', contactName: 'Ana' },
      history: [
        stored({ text: 'hola', content: { kind: 'text', text: 'hola' } }),
        stored({
          direction: 'OUTBOUND',
          author: 'AI',
          text: '¡Hola! ¿En qué te ayudo?',
          content: { kind: 'text', text: '¡Hola! ¿En qué te ayudo?' },
        }),
        stored({ direction: 'OUTBOUND', author: 'SYSTEM', text: 'bot paused' }),
        stored({ direction: 'OUTBOUND', author: 'OPERATOR', text: 'Soy Juan', content: { kind: 'text', text: 'Soy Juan' } }),
      ],
      burst: [
        stored({ kind: 'image', content: { kind: 'image', media: { mediaId: 'x', caption: 'este pan' } } }),
        stored({ text: '¿cuánto cuesta?', content: { kind: 'text', text: '¿cuánto cuesta?' } }),
      ],
    });
    expect(turns).toEqual([
      { role: 'system', content: 'You work for Panadería Sol. Today is 03/02/2026 04:30. Customer: Ana.' },
      { role: 'user', content: 'hola' },
      { role: 'assistant', content: '¡Hola! ¿En qué te ayudo?' },
      { role: 'assistant', content: 'Soy Juan' },
      { role: 'user', content: '[image] este pan' },
      { role: 'user', content: '¿cuánto cuesta?' },
    ]);
  });

  it('falls back to the stored text, then the kind, when content does not parse', () => {
    const turns = buildReplyPrompt({
      systemPrompt: 'x',
      variables: { now: at, timezone: 'UTC', businessName: 'B', contactName: null },
      history: [],
      burst: [stored({ text: 'plain' }), stored({ kind: 'mystery' })],
    });
    expect(turns.slice(1).map((turn) => turn.content)).toEqual(['plain', '[mystery]']);
  });
});
