// The platform as `npm start` runs it, plus one tool for `npm run bench:ai -- --toolRounds=N`: `consultar_stock`
// asks the benchmark's own HTTP server (BENCH_TOOL_URL) for stock, so a tool round costs what a real HTTP tool
// costs the platform (a validated call, a fetch, the records that make it exactly-once).
import type { ToolProvider } from '@app/domain';
import { loadStandaloneConfig } from '../../services/standalone/src/config.ts';
import { startPlatform } from '../../services/standalone/src/create-platform.ts';

const toolUrl = process.env['BENCH_TOOL_URL'];
if (!toolUrl) throw new Error('BENCH_TOOL_URL is not set');

const benchTools: ToolProvider = {
  load: async () => ({
    tools: [
      {
        name: 'consultar_stock',
        description: 'Stock of a product by colour and size.',
        parameters: {
          type: 'object',
          properties: { producto: { type: 'string' }, talla: { type: 'integer' } },
          required: ['producto', 'talla'],
          additionalProperties: false,
        },
        sideEffects: false,
        timeoutMs: 10_000,
        async run(args, call) {
          const response = await fetch(toolUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': call.idempotencyKey },
            body: JSON.stringify(args),
            signal: call.signal,
          });
          if (!response.ok) return { ok: false, error: `HTTP ${response.status}` };
          return { ok: true, result: await response.json() };
        },
      },
    ],
  }),
};

const platform = await startPlatform({ config: loadStandaloneConfig(), extraToolProviders: [benchTools] });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void platform.stop().then(() => process.exit(0)));
}
