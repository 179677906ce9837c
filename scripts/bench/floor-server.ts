// The floor of `npm run bench:ingest`: the least a webhook receiver can do on this hardware and this database. A plain
// node:http server that checks X-Hub-Signature-256 over the raw body (constant time, as the platform does), parses the
// JSON and does ONE single-row INSERT per message (its own transaction) into the same PostgreSQL database, with a pool
// of the same size, before it answers 200. No framework, no contact or conversation, no outbox, no actors.
// Started by bench-ingest.ts; not part of the platform.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const secret = process.env.META_APP_SECRET!;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
await pool.query(`CREATE TABLE IF NOT EXISTS bench_floor_message (
  id bigserial PRIMARY KEY, wamid text NOT NULL UNIQUE, sender text NOT NULL, body text, received_at timestamptz NOT NULL DEFAULT now())`);

interface WebhookMessage {
  id: string;
  from: string;
  text?: { body?: string };
}

function messagesOf(payload: unknown): WebhookMessage[] {
  const entries = (payload as { entry?: { changes?: { value?: { messages?: WebhookMessage[] } }[] }[] }).entry ?? [];
  return entries.flatMap((entry) => (entry.changes ?? []).flatMap((change) => change.value?.messages ?? []));
}

function validSignature(body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/readyz') {
    response.writeHead(200).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const body = Buffer.concat(chunks);
    if (!validSignature(body, request.headers['x-hub-signature-256'] as string | undefined)) {
      response.writeHead(401).end();
      return;
    }
    try {
      for (const message of messagesOf(JSON.parse(body.toString('utf8')))) {
        await pool.query({
          name: 'floor-insert',
          text: 'INSERT INTO bench_floor_message (wamid, sender, body) VALUES ($1, $2, $3) ON CONFLICT (wamid) DO NOTHING',
          values: [message.id, message.from, message.text?.body ?? null],
        });
      }
      response.writeHead(200).end();
    } catch {
      response.writeHead(500).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => void pool.end().then(() => process.exit(0)));
