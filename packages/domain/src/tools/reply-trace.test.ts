import { describe, expect, it } from 'vitest';
import { capText, defaultModelPrices, estimateCostUsd, REDACTED, redactSecrets, sumCosts } from './reply-trace.ts';

describe('reply trace rules', () => {
  it('estimates a call from the price table and knows no price for an unknown model', () => {
    expect(estimateCostUsd(defaultModelPrices, 'gpt-4o-mini', { promptTokens: 1_000_000, completionTokens: 1_000_000 })).toBeCloseTo(0.75);
    expect(estimateCostUsd(defaultModelPrices, 'gpt-4o', { promptTokens: 2_000, completionTokens: 100 })).toBeCloseTo(0.006);
    expect(estimateCostUsd(defaultModelPrices, 'llama3.1:8b', { promptTokens: 10, completionTokens: 10 })).toBeNull();
    expect(sumCosts([0.1, 0.2])).toBeCloseTo(0.3);
    expect(sumCosts([0.1, null])).toBeNull();
  });

  it('redacts every secret in nested strings and keys, longest first, ignoring very short ones', () => {
    const prompt = [{ role: 'tool', content: 'Bearer tok_12345 sent to https://x.test?key=tok_12345', headers: { tok_12345: 'abc' } }];
    expect(redactSecrets(prompt, ['tok_12345', 'tok_', 'ab'])).toEqual([
      { role: 'tool', content: `Bearer ${REDACTED} sent to https://x.test?key=${REDACTED}`, headers: { [REDACTED]: 'abc' } },
    ]);
    expect(redactSecrets({ n: 1, ok: true, none: null }, ['secret'])).toEqual({ n: 1, ok: true, none: null });
  });

  it('caps a text at a byte budget without cutting a character in half', () => {
    expect(capText('hola', 16)).toBe('hola');
    const capped = capText('ñ'.repeat(100), 60);
    expect(new TextEncoder().encode(capped).length).toBeLessThanOrEqual(60);
    expect(capped).toMatch(/^ñ+… \[truncated to 60 bytes\]$/);
  });
});
