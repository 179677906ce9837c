import { describe, expect, it } from 'vitest';
import { defaultAllowedModels, isModelAllowed, parseModelAllowList } from './allowed-models.ts';

describe('model allow-list', () => {
  it('allows the default models unless the deployment names its own, or * for any', () => {
    expect(parseModelAllowList(undefined)).toEqual(defaultAllowedModels);
    expect(isModelAllowed(parseModelAllowList(undefined), 'gpt-4o-mini')).toBe(true);
    expect(isModelAllowed(parseModelAllowList(undefined), 'o1-pro')).toBe(false);
    expect(parseModelAllowList(' llama3.1 , qwen2.5 ,')).toEqual(['llama3.1', 'qwen2.5']);
    expect(isModelAllowed(parseModelAllowList('*'), 'anything-at-all')).toBe(true);
  });
});
