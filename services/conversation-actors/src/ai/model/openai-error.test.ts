import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyLlmError } from './openai-error.ts';

const apiError = (status: number, code: string | null, message = 'failed') =>
  OpenAI.APIError.generate(status, { error: { message, type: 'x', param: null, code } }, message, new Headers());

describe('classifyLlmError', () => {
  it('does not retry quota exhaustion although it is a 429', () => {
    expect(classifyLlmError(apiError(429, 'insufficient_quota'))).toMatchObject({ retryable: false });
    expect(classifyLlmError(apiError(429, 'insufficient_quota')).reason).toContain('insufficient_quota');
  });

  it('retries rate limits, server errors and connection failures', () => {
    expect(classifyLlmError(apiError(429, 'rate_limit_exceeded')).retryable).toBe(true);
    expect(classifyLlmError(apiError(500, null)).retryable).toBe(true);
    expect(classifyLlmError(new OpenAI.APIConnectionTimeoutError()).retryable).toBe(true);
  });

  it('does not retry a bad key or an unknown model, and never keeps a key in the reason', () => {
    const badKey = classifyLlmError(apiError(401, 'invalid_api_key', 'Incorrect API key provided: sk-abc123'));
    expect(badKey).toMatchObject({ retryable: false });
    expect(badKey.reason).not.toContain('abc123');
    expect(classifyLlmError(apiError(404, 'model_not_found')).retryable).toBe(false);
    expect(classifyLlmError(apiError(400, null)).retryable).toBe(false);
  });
});
