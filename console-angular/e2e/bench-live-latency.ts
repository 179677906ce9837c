// `npm run bench:live` (console-angular/e2e/bench-live-latency.ts) — how long a new message takes to appear in an
// open operator console, in real headless Chromium, without reload.
//
// A measurement, not a test: starts the platform as its own process (like `npm start`, serving the built console:
// run `npm run build:console` first) on a fresh PostgreSQL database, with the live fan-out in process or, with
// --redis=1, through Redis (as several tenant-api replicas would), registers an owner, creates a sandbox instance and
// signs in with Chromium. It then sends customer messages through the sandbox API one at a time, and for each takes
// the time from just before the HTTP request to the moment a MutationObserver in the page sees
//   1. the bubble in the open chat (the customer of the open conversation writes), and
//   2. the preview in the conversation list row (another customer writes; that chat is not open).
// Both clocks are this machine's Date.now(). The path measured: HTTP → stored with its outbox event → local outbox
// delivery → live views loaded → channel (in-process or Redis) → SSE → Angular store → DOM.
//
//   npm run bench:live -- --messages=100 --gap=150 --redis=0
import { launchChromium } from './browser.ts';
import { registerVerifiedOwner } from './inbox-seed.ts';
import { describeMachine, percentile, readOptions, sleep } from '../../scripts/bench/bench-support.ts';
import { accessTokenOf, callApi, signInToConsole, startPlatformOnFreshDatabase } from './platform-session.ts';

const options = readOptions({
  messages: 100,
  /** Milliseconds between one message appearing and the next being sent. */
  gap: 150,
  redis: 0,
  redisUrl: 'redis://127.0.0.1:6379',
});

// The benchmark plays a busy customer base: the sandbox's per-business limit would pace it.
const started = await startPlatformOnFreshDatabase({
  SANDBOX_MESSAGES_PER_MINUTE: '100000',
  ...(options.redis ? { REDIS_URL: options.redisUrl } : {}),
});
const { database, platform } = started;
const browser = await launchChromium();
try {
  const machine = await describeMachine(database);
  const owner = { email: 'bench@live.example', password: 'correct horse battery staple', business: 'Live bench' };
  await registerVerifiedOwner(platform.url, database.prisma, owner);
  const accessToken = await accessTokenOf(platform.url, owner);
  const api = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const answer = await callApi(platform.url, accessToken, 'POST', path, body);
    if (answer.status >= 300) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const instanceId = String((await api('/api/instances', { provider: 'SANDBOX', name: 'Live bench' }))['id']);
  const customerSays = (from: string, text: string) => api(`/api/sandbox/${instanceId}/messages`, { from, text, name: `Customer ${from.slice(-4)}` });
  await customerSays('+34600000001', 'open chat');
  await customerSays('+34600000002', 'other chat');

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
  await signInToConsole(page, platform.url, owner);
  await page.getByTestId('conversation').filter({ hasText: '0001' }).click();
  await page.getByTestId('timeline').getByText('open chat').waitFor();
  // Records when each probe text first shows anywhere in the page.
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { probeSeen: Record<string, number> }).probeSeen = seen;
    new MutationObserver(() => {
      const now = Date.now();
      for (const element of document.querySelectorAll('[data-testid="message"] .text, [data-testid="conversation"] .preview')) {
        const text = element.textContent?.trim() ?? '';
        if (text.startsWith('probe ') && seen[text] === undefined) seen[text] = now;
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const measure = async (from: string, label: string): Promise<number[]> => {
    const latencies: number[] = [];
    for (let index = 0; index < options.messages; index++) {
      const text = `probe ${label} ${index}`;
      const sentAt = Date.now();
      await customerSays(from, text);
      const seenAt = await page.waitForFunction((wanted) => (window as unknown as { probeSeen: Record<string, number> }).probeSeen[wanted], text, {
        timeout: 30_000,
        polling: 10,
      });
      latencies.push(((await seenAt.jsonValue()) as number) - sentAt);
      await sleep(options.gap);
    }
    return latencies;
  };
  const openChat = await measure('+34600000001', 'chat');
  const listRow = await measure('+34600000002', 'list');

  const row = (name: string, values: number[]) => {
    const sorted = [...values].sort((left, right) => left - right);
    const over = values.filter((value) => value > 1_000).length;
    return `| ${name} | ${values.length} | ${percentile(sorted, 0.5)} | ${percentile(sorted, 0.95)} | ${percentile(sorted, 0.99)} | ${sorted.at(-1)} | ${over} |`;
  };
  const report = [
    `## Live updates in the console`,
    ``,
    `\`npm run bench:live -- --messages=${options.messages} --gap=${options.gap} --redis=${options.redis}\` (${new Date().toISOString().slice(0, 10)}),`,
    `headless Chromium (${browser.version()}), the production console build served by the standalone process on PostgreSQL; live fan-out ${options.redis ? 'through Redis' : 'in process'}.`,
    ...machine.map((line) => `${line}  `),
    ``,
    `| customer message → visible in the console | messages | p50 ms | p95 ms | p99 ms | max ms | over 1 s |`,
    `|---|---|---|---|---|---|---|`,
    row('bubble in the open chat', openChat),
    row('preview in the conversation list (chat not open)', listRow),
  ];
  process.stdout.write(`${report.join('\n')}\n`);
} finally {
  await browser.close();
  await started.close();
}
