/**
 * Which models a deployment lets businesses pick: any model string would let one tenant run up the platform's bill on
 * the dearest model there is. `*` allows any (a local OpenAI-compatible server whose model names the platform cannot
 * know); otherwise a comma-separated list.
 */
export const defaultAllowedModels = ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o'] as const;

export type ModelAllowList = '*' | readonly string[];

export function parseModelAllowList(value: string | undefined): ModelAllowList {
  if (value === undefined || value.trim() === '') return defaultAllowedModels;
  if (value.trim() === '*') return '*';
  return value
    .split(',')
    .map((model) => model.trim())
    .filter((model) => model.length > 0);
}

export function isModelAllowed(allowed: ModelAllowList, model: string): boolean {
  return allowed === '*' || allowed.includes(model);
}
