import type { AgentTool, ToolCallContext } from '@app/domain';
import { createLogger } from '@app/runtime/service';
import { describe, expect, it, vi } from 'vitest';
import { loadTools } from './tool-registry.ts';
import { ToolCallInterrupted, ToolRunner } from './tool-runner.ts';

const context: Omit<ToolCallContext, 'signal'> = {
  businessId: 'b',
  instanceId: 'i',
  conversationId: 'c',
  contactId: 'k',
  provider: 'SANDBOX',
  idempotencyKey: 'buffer:0:0',
};

const tool = (overrides: Partial<AgentTool> = {}): AgentTool => ({
  name: 'guardar_ciudad',
  description: 'Guarda la ciudad del cliente.',
  parameters: { type: 'object', properties: { ciudad: { type: 'string', minLength: 2 } }, required: ['ciudad'], additionalProperties: false },
  sideEffects: true,
  timeoutMs: 1_000,
  run: async (args) => ({ ok: true, result: { guardado: args['ciudad'] } }),
  ...overrides,
});

const call = (args: string, name = 'guardar_ciudad') => ({ id: 'call_1', name, arguments: args });

describe('ToolRunner', () => {
  it('runs a valid call with its context and returns the result as JSON for the model', async () => {
    const run = vi.fn(async () => ({ ok: true as const, result: { guardado: 'Rosario' } }));
    const outcome = await new ToolRunner().run(tool({ run }), call('{"ciudad":"Rosario"}'), context);
    expect(outcome).toEqual({ ok: true, content: '{"guardado":"Rosario"}' });
    expect(run).toHaveBeenCalledWith(
      { ciudad: 'Rosario' },
      expect.objectContaining({ idempotencyKey: 'buffer:0:0', signal: expect.any(AbortSignal) }),
    );
  });

  it('refuses bad arguments before the handler runs, naming what is wrong', async () => {
    const run = vi.fn();
    const runner = new ToolRunner();
    expect((await runner.run(tool({ run }), call('{"ciudad":"R","extra":1}'), context)).error).toMatch(
      /invalid arguments: arguments must NOT have additional properties, arguments\/ciudad must NOT have fewer than 2 characters/,
    );
    expect((await runner.run(tool({ run }), call('[1]'), context)).error).toBe('the arguments must be a JSON object');
    expect((await runner.run(tool({ run }), call('{oops'), context)).error).toContain('not valid JSON');
    expect(run).not.toHaveBeenCalled();
    // Empty arguments are an empty object (some models send "" for a tool without parameters).
    expect((await runner.run(tool({ parameters: { type: 'object' } }), call(''), context)).ok).toBe(true);
  });

  it('turns thrown errors, {ok:false}, timeouts and unserialisable results into errors for the model, and caps big results', async () => {
    const runner = new ToolRunner();
    expect(await runner.run(tool({ run: async () => Promise.reject(new Error('boom')) }), call('{"ciudad":"Lima"}'), context)).toEqual({
      ok: false,
      error: 'boom',
      content: '{"error":"boom"}',
    });
    expect((await runner.run(tool({ run: async () => ({ ok: false, error: 'sin permiso' }) }), call('{"ciudad":"Lima"}'), context)).error).toBe(
      'sin permiso',
    );
    let aborted = false;
    const slow = tool({
      timeoutMs: 50,
      run: (_args, { signal }) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ ok: true, result: 'late' });
          });
        }),
    });
    expect((await runner.run(slow, call('{"ciudad":"Lima"}'), context)).error).toBe('timed out after 50 ms');
    expect(aborted).toBe(true);
    expect((await runner.run(tool({ run: async () => ({ ok: true, result: { n: 1n } }) }), call('{"ciudad":"Lima"}'), context)).error).toContain(
      'not JSON',
    );
    const big = await runner.run(tool({ run: async () => ({ ok: true, result: 'x'.repeat(40_000) }) }), call('{"ciudad":"Lima"}'), context);
    expect(big.content.length).toBeLessThanOrEqual(16 * 1024);
    expect(big.content).toContain('[truncated to 16384 bytes]');
    expect((await runner.run(undefined, call('{}', 'no_existe'), context)).error).toBe('unknown tool "no_existe"');
  });

  it('cuts a call short when the worker stops: its signal is aborted and the call throws instead of answering the model', async () => {
    const stopping = new AbortController();
    let aborted = false;
    const waiting = tool({
      run: (_args, { signal }) =>
        new Promise((resolve) => signal.addEventListener('abort', () => ((aborted = true), resolve({ ok: false, error: 'aborted' })))),
    });
    const running = new ToolRunner().run(waiting, call('{"ciudad":"Lima"}'), context, stopping.signal);
    stopping.abort();
    await expect(running).rejects.toBeInstanceOf(ToolCallInterrupted);
    expect(aborted).toBe(true);
  });
});

describe('loadTools', () => {
  it('asks every provider in order; the first tool of a name wins and the duplicate is logged', async () => {
    const logger = createLogger({ service: 'test', level: 'silent' });
    const warn = vi.spyOn(logger, 'warn');
    const loaded = await loadTools(
      [
        { load: async () => ({ tools: [tool({ description: 'first' })], promptNotes: ['Ciudad conocida: Lima'], secrets: ['token-1'] }) },
        { load: async () => ({ tools: [tool({ description: 'second' }), tool({ name: 'otra' })], secrets: ['token-2'] }) },
      ],
      { businessId: 'b', contactId: 'k', conversationId: 'c' },
      logger,
    );
    expect([...loaded.tools.values()].map((entry) => [entry.name, entry.description])).toEqual([
      ['guardar_ciudad', 'first'],
      ['otra', 'Guarda la ciudad del cliente.'],
    ]);
    expect(loaded.promptNotes).toEqual(['Ciudad conocida: Lima']);
    expect(loaded.secrets).toEqual(['token-1', 'token-2']);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ event: 'ai_tools.duplicate_name', tool: 'guardar_ciudad' }), expect.any(String));
  });
});
