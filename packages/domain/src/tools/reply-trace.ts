/**
 * The pure rules behind an AI reply's trace (why the agent said what it said): what a model call cost, what a tool
 * result may weigh before the model reads it, and which values never reach a stored trace.
 */

/** US dollars per million tokens, as providers publish them. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** List prices when this was written (platform.openai.com/docs/pricing); operators override them in config. */
export const defaultModelPrices: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
};

/** Estimated cost of one model call in US dollars; null for a model without a price (a local model, a new one). */
export function estimateCostUsd(
  prices: Readonly<Record<string, ModelPrice>>,
  model: string,
  usage: { promptTokens: number; completionTokens: number },
): number | null {
  const price = prices[model];
  if (!price) return null;
  return (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1_000_000;
}

/** Sums costs; unknown (null) as soon as one part is unknown, so a partial sum never passes for the total. */
export function sumCosts(costs: Array<number | null>): number | null {
  let total = 0;
  for (const cost of costs) {
    if (cost === null) return null;
    total += cost;
  }
  return total;
}

export const REDACTED = '[redacted]';

/**
 * A copy of `value` where every occurrence of a secret inside any string (keys included) is `[redacted]`. Secrets
 * shorter than 4 characters are ignored: replacing "a" everywhere would ruin the trace and protect nothing.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const effective = [...new Set(secrets.filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
  if (effective.length === 0) return value;
  const redactString = (text: string) => effective.reduce((current, secret) => current.split(secret).join(REDACTED), text);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return redactString(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([key, inner]) => [redactString(key), walk(inner)]));
    }
    return node;
  };
  return walk(value) as T;
}

/** What a tool result may weigh in the model's context (and in a trace). */
export const TOOL_RESULT_MAX_BYTES = 16 * 1024;

/** `text` cut to at most `maxBytes` UTF-8 bytes (never mid-character), with a marker saying it was cut. */
export function capText(text: string, maxBytes: number = TOOL_RESULT_MAX_BYTES): string {
  const encoder = new TextEncoder();
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  const marker = `… [truncated to ${maxBytes} bytes]`;
  let cut = new TextDecoder().decode(bytes.subarray(0, Math.max(0, maxBytes - encoder.encode(marker).length)));
  // A multi-byte character cut in half decodes as U+FFFD: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return cut + marker;
}
