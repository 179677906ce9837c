import { describe, expect, it } from 'vitest';
import { toCaseDraft, toCaseRequest } from './agent-test-editor';

describe('agent test editor', () => {
  it('round-trips a stored case through the editor, dropping blank expectations and trimming', () => {
    const draft = toCaseDraft({
      id: '5b0c8d3e-2f1a-4c7e-9d6b-0a1b2c3d4e5f',
      name: 'Envío',
      steps: [
        {
          customer: '¿Enviáis?',
          expect: [
            { type: 'calls_tool', tool: 'consultar_envio' },
            { type: 'mentions', text: 'gratis' },
          ],
        },
      ],
      createdAt: '2026-12-04T00:00:00.000Z',
      updatedAt: '2026-12-04T00:00:00.000Z',
    });
    expect(draft.steps[0]?.expect).toEqual([
      { type: 'calls_tool', value: 'consultar_envio' },
      { type: 'mentions', value: 'gratis' },
    ]);
    draft.steps[0]?.expect.push({ type: 'does_not_mention', value: '   ' });
    draft.name = '  Envío a Madrid ';
    expect(toCaseRequest(draft)).toEqual({
      name: 'Envío a Madrid',
      steps: [
        {
          customer: '¿Enviáis?',
          expect: [
            { type: 'calls_tool', tool: 'consultar_envio' },
            { type: 'mentions', text: 'gratis' },
          ],
        },
      ],
    });
  });

  it('starts a new case with one step to fill in', () => {
    expect(toCaseDraft()).toEqual({ id: null, name: '', steps: [{ customer: '', expect: [{ type: 'mentions', value: '' }] }] });
  });
});
