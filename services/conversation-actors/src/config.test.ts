import { ConfigError } from '@app/runtime/service';
import { describe, expect, it } from 'vitest';
import { aiStatusFor } from './ai/ai-status.ts';
import { aiJobTimeoutSeconds, loadConversationActorsConfig, modelPrices } from './config.ts';

describe('conversation-actors config', () => {
  it('defaults to 40 workers and AI off when no model is configured', () => {
    const config = loadConversationActorsConfig({});
    expect(config.WORKER_CONCURRENCY).toBe(40);
    expect(aiStatusFor(config)).toEqual({ enabled: false, reason: 'No AI model configured: set OPENAI_API_KEY or OPENAI_BASE_URL' });
  });

  it('turns AI on with a key or with a compatible base URL alone', () => {
    expect(aiStatusFor(loadConversationActorsConfig({ OPENAI_API_KEY: 'sk-x' }))).toMatchObject({ enabled: true, endpoint: 'openai' });
    expect(aiStatusFor(loadConversationActorsConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }))).toMatchObject({
      enabled: true,
      endpoint: 'custom',
    });
  });

  it('gives a lost job long enough for the client retries', () => {
    expect(aiJobTimeoutSeconds(loadConversationActorsConfig({ AI_TIMEOUT_SECONDS: '30', AI_MAX_RETRIES: '1', AI_TOOL_ROUNDS: '0' }))).toBe(180);
    // Each tool round may add a tool's time.
    expect(aiJobTimeoutSeconds(loadConversationActorsConfig({ AI_TIMEOUT_SECONDS: '30', AI_MAX_RETRIES: '1' }))).toBe(330);
    expect(aiJobTimeoutSeconds(loadConversationActorsConfig({ AI_JOB_TIMEOUT_SECONDS: '90' }))).toBe(90);
  });

  it('merges configured model prices over the built-in ones and refuses a malformed table', () => {
    const config = loadConversationActorsConfig({
      AI_MODEL_PRICES: '{"gpt-4o":{"inputPerMillion":2,"outputPerMillion":8},"llama3":{"inputPerMillion":0,"outputPerMillion":0}}',
    });
    expect(modelPrices(config)).toMatchObject({
      'gpt-4o': { inputPerMillion: 2, outputPerMillion: 8 },
      'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
      llama3: { inputPerMillion: 0, outputPerMillion: 0 },
    });
    expect(loadConversationActorsConfig({}).REPLY_TRACE_RETENTION_DAYS).toBe(30);
    expect(() => loadConversationActorsConfig({ AI_MODEL_PRICES: '{"gpt-4o":1}' })).toThrow(ConfigError);
  });

  it('names invalid keys without their values', () => {
    let error: unknown;
    try {
      loadConversationActorsConfig({ OPENAI_BASE_URL: 'not a url', WORKER_CONCURRENCY: '0' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('OPENAI_BASE_URL');
    expect(problems).toContain('WORKER_CONCURRENCY');
    expect(problems).not.toContain('not a url');
  });
});
