// The floor of `npm run bench:ai`: the three statements an AI reply cannot do without — store the customer's message,
// store the reply, mark it sent — each a single-row statement in its own transaction, `REPLIES` times, `CONCURRENCY`
// at once over a pool of `DATABASE_POOL_SIZE`, into the benchmark's database. No actors, no outbox, no model, no
// HTTP. Prints its own CPU time as JSON, then keeps its connections until its standard input closes. Started by bench-ai.ts; not part of the platform.
import pg from 'pg';

const replies = Number(process.env.REPLIES);
const concurrency = Number(process.env.CONCURRENCY ?? 50);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
await pool.query(`CREATE TABLE IF NOT EXISTS bench_floor_reply (
  id bigserial PRIMARY KEY, conversation text NOT NULL, direction text NOT NULL, body text NOT NULL, status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now())`);

const started = process.cpuUsage();
const wallStarted = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let index = next++; index < replies; index = next++) {
      const conversation = `conversation-${index}`;
      await pool.query({
        name: 'floor-inbound',
        text: `INSERT INTO bench_floor_reply (conversation, direction, body, status) VALUES ($1, 'INBOUND', $2, 'RECEIVED')`,
        values: [conversation, '¿Tienen zapatos rojos en talla 38?'],
      });
      const reply = await pool.query<{ id: string }>({
        name: 'floor-reply',
        text: `INSERT INTO bench_floor_reply (conversation, direction, body, status) VALUES ($1, 'OUTBOUND', $2, 'PENDING') RETURNING id`,
        values: [conversation, 'Sí, tenemos zapatos rojos en talla 38. ¿Quieres que te aparte un par? 👟'],
      });
      await pool.query({ name: 'floor-sent', text: `UPDATE bench_floor_reply SET status = 'SENT' WHERE id = $1`, values: [reply.rows[0]!.id] });
    }
  }),
);
const cpu = process.cpuUsage(started);
console.log(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: (performance.now() - wallStarted) / 1000 }));
// The pool's backends stay until the benchmark has read their CPU time (it closes our stdin then).
process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
await pool.end();
