// Shared plumbing of the benchmark scripts (bench-ingest.ts, bench-ai.ts): options, the machine, the platform as a
// separate process (exactly like `npm start`), CPU accounting from /proc, and percentiles.
import { startPlatformProcess, type PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import { Agent, request } from 'node:http';
import { serializeLikeMeta, signMetaPayload } from '@app/testkit/meta-graph';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Database } from '@app/db';

/** `--name=value` on the command line wins over `BENCH_NAME` in the environment, which wins over the default. */
export function readOptions<T extends Record<string, number | string>>(defaults: T): T {
  const options: Record<string, number | string> = { ...defaults };
  for (const [name, fallback] of Object.entries(defaults)) {
    const flag = process.argv.find((argument) => argument.startsWith(`--${name}=`));
    const environment = process.env[`BENCH_${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`];
    const raw = flag ? flag.slice(name.length + 3) : environment;
    if (raw === undefined) continue;
    if (typeof fallback === 'number') {
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got "${raw}"`);
      options[name] = value;
    } else options[name] = raw;
  }
  if (process.argv.includes('--help')) {
    console.log(
      `options (flag or BENCH_* environment variable):\n${Object.entries(defaults)
        .map(([name, value]) => `  --${name}=${value}`)
        .join('\n')}`,
    );
    process.exit(0);
  }
  return options as T;
}

export async function describeMachine(database: Database): Promise<string[]> {
  const rows = await database.prisma.$queryRaw<{ version: string; maxConnections: string; synchronousCommit: string }[]>`
    SELECT version() AS version, current_setting('max_connections') AS "maxConnections", current_setting('synchronous_commit') AS "synchronousCommit"`;
  const postgres = rows[0];
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return [
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `node ${process.version}; ${postgres?.version.split(',')[0] ?? 'PostgreSQL ?'} (max_connections ${postgres?.maxConnections}, synchronous_commit ${postgres?.synchronousCommit})`,
    `load average before the run: ${load}`,
  ];
}

/** Ticks of CPU time a process (and, for PostgreSQL, all its backends) used so far. */
const ticksPerSecond = 100;
function processTicks(pid: number, which: 'user' | 'system' | 'both' = 'both'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    return which === 'user' ? user : which === 'system' ? system : user + system;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** PostgreSQL backends serving one database (their process title names it): other people's queries do not count. */
function postgresTicks(databaseName: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${databaseName} `)) total += processTicks(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}

/** CPU seconds the PostgreSQL backends of one database have used so far (for a floor measured in another process). */
export function postgresCpuSeconds(databaseUrl: string): number {
  return postgresTicks(new URL(databaseUrl).pathname.slice(1)) / ticksPerSecond;
}

/**
 * CPU seconds spent by the platform, by the PostgreSQL backends of the benchmark database and by this (load
 * generator) process between two points. Backends that exit in between are not counted (pools keep theirs open).
 */
export function cpuMeter(serverPid: number, databaseUrl: string) {
  const databaseName = new URL(databaseUrl).pathname.slice(1);
  const read = () => ({
    serverSystem: processTicks(serverPid, 'system'),
    server: processTicks(serverPid),
    postgres: postgresTicks(databaseName),
    self: process.cpuUsage(),
    at: performance.now(),
  });
  const start = read();
  /** Seconds used since the meter was made: the platform's and its database's (for ratios to a floor). */
  const totals = () => {
    const end = read();
    return {
      wall: (end.at - start.at) / 1000,
      self: (end.self.user + end.self.system - start.self.user - start.self.system) / 1e6,
      server: (end.server - start.server) / ticksPerSecond,
      serverSystem: (end.serverSystem - start.serverSystem) / ticksPerSecond,
      postgres: (end.postgres - start.postgres) / ticksPerSecond,
    };
  };
  const describe = (perUnit?: { count: number; unit: string }) => {
    const { wall, self, server, serverSystem, postgres } = totals();
    const percent = (seconds: number) => `${Math.round((100 * seconds) / wall)}%`;
    const each = (seconds: number) => `${((seconds * 1000) / (perUnit?.count ?? 1)).toFixed(2)} ms`;
    return (
      `CPU over ${wall.toFixed(1)} s: platform ${server.toFixed(1)} s (${percent(server)} of one core, ${Math.round((100 * serverSystem) / server)}% of it in the kernel), PostgreSQL backends ${postgres.toFixed(1)} s (${percent(postgres)}), ` +
      `load generator + doubles ${self.toFixed(1)} s (${percent(self)})` +
      (perUnit
        ? `\n  = per ${perUnit.unit}: platform ${each(server)}, PostgreSQL ${each(postgres)} (noise-resistant: compare these between runs)`
        : '')
    );
  };
  return Object.assign(describe, { totals });
}

export type ServerProcess = PlatformProcess;

/** The platform as `npm start` runs it, in its own process, so the load generator never shares its event loop. */
export function startServerProcess(
  environment: Record<string, string>,
  options: { cpuProfileDir?: string; entry?: string } = {},
): Promise<ServerProcess> {
  const nodeArguments = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  return startPlatformProcess(environment, Number(environment.PORT), { nodeArguments, entry: options.entry, readyTimeoutMs: 90_000 });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], quantile: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))]!;
}

export function verdict(pass: boolean): string {
  return pass ? 'MET' : 'MISSED';
}

/** Polls until `done` answers true or the time runs out; answers whether it finished. */
export async function waitFor(done: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(intervalMs);
  }
  return done();
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface SignedWebhook {
  body: Buffer;
  signature: string;
}

/** A webhook as Meta sends it: its exact bytes (non-ASCII escaped) and `X-Hub-Signature-256` over them. */
export function signedWebhook(payload: unknown, appSecret: string): SignedWebhook {
  const body = Buffer.from(serializeLikeMeta(payload));
  return { body, signature: signMetaPayload(body, appSecret) };
}

/**
 * Posts prepared webhooks over keep-alive connections (at most `concurrency` sockets) and answers the HTTP status.
 * node:http rather than fetch: the load generator's own CPU per request must stay small next to the server's.
 */
export function createWebhookPoster(port: number, concurrency: number): (webhook: SignedWebhook) => Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  return ({ body, signature }) =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path: '/webhooks/meta',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-hub-signature-256': signature },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
}
