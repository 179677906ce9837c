// `npm run bench:console` (console-angular/e2e/bench-inbox-scroll.ts) — how smoothly the operator console scrolls a large inbox, in real headless Chromium.
//
// A measurement, not a test: creates a fresh database, starts the platform as its own process (like `npm start`,
// serving the built console: run `npm run build:console` first), registers an owner, seeds 10,000 conversations and
// a 5,000-message chat DIRECTLY IN THE DATABASE, signs in with Chromium and scrolls
//   1. the conversation list from the top through every page (the console fetches 100 at a time as it scrolls),
//   2. the chat upwards from the newest message until all 5,000 are loaded (older pages land while scrolling),
//   3. the fully loaded chat down and up again,
// moving the scroll position every animation frame, and reports frame intervals (requestAnimationFrame), long tasks
// (PerformanceObserver 'longtask', > 50 ms) and how many rows are in the DOM. It also times the inbox search API
// (`GET /api/conversations?q=`, which searches every conversation and message of the business) on the same data.
//
//   npm run bench:console -- --conversations=10000 --messages=5000 --step=300
import type { Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { registerVerifiedOwner, seedInbox, seededMessageText, seededName } from './inbox-seed.ts';
import { describeMachine, percentile, readOptions } from '../../scripts/bench/bench-support.ts';
import { accessTokenOf, signInToConsole, startPlatformOnFreshDatabase } from './platform-session.ts';

const options = readOptions({
  conversations: 10_000,
  messages: 5_000,
  /** Further messages spread over the other conversations, for the search timings (a business with history). */
  history: 200_000,
  /** Pixels the scroll position moves per frame (a fast flick is 100–400). */
  step: 300,
  width: 1280,
  height: 800,
});

interface ScrollFigures {
  frames: number;
  pixels: number;
  milliseconds: number;
  intervals: number[];
  longTasks: number[];
  domRows: number;
}

/** Scrolls `selector` by `step` px per frame (negative: up) until `stop` says so; measures every frame. */
async function scrollAndMeasure(
  page: Page,
  selector: string,
  step: number,
  stop: 'end' | 'top' | 'top-when-complete',
  maxFrames: number,
): Promise<ScrollFigures> {
  return page.evaluate(
    async ({ selector, step, stop, maxFrames }) => {
      const element = document.querySelector<HTMLElement>(selector)!;
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration)));
      observer.observe({ type: 'longtask' });
      const intervals: number[] = [];
      let pixels = 0;
      const started = performance.now();
      let previous = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      let stillFrames = 0;
      for (let frame = 0; frame < maxFrames; frame++) {
        const before = element.scrollTop;
        element.scrollTop = before + step;
        const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
        intervals.push(now - previous);
        previous = now;
        pixels += Math.abs(element.scrollTop - before);
        const atEnd = step > 0 ? element.scrollTop + element.clientHeight >= element.scrollHeight - 1 : element.scrollTop <= 0;
        // Older pages keep arriving at the top: stop only once the list has stopped growing for a while.
        const moreComing = stop === 'top-when-complete' && document.querySelector('[data-testid="load-older"]') !== null;
        stillFrames = atEnd && !moreComing ? stillFrames + 1 : 0;
        if (stillFrames > (stop === 'end' ? 30 : 5)) break;
      }
      observer.disconnect();
      return {
        frames: intervals.length,
        pixels,
        milliseconds: performance.now() - started,
        intervals,
        longTasks,
        domRows: element.querySelectorAll('[data-testid="message"], [data-testid="conversation"]').length,
      };
    },
    { selector, step, stop, maxFrames },
  );
}

function summarize(name: string, figures: ScrollFigures): string {
  const sorted = [...figures.intervals].sort((left, right) => left - right);
  const mean = figures.intervals.reduce((sum, value) => sum + value, 0) / Math.max(1, figures.intervals.length);
  const over = (limit: number) => figures.intervals.filter((value) => value > limit).length;
  const longTotal = figures.longTasks.reduce((sum, value) => sum + value, 0);
  return `| ${name} | ${figures.frames} | ${Math.round(figures.pixels).toLocaleString('en')} | ${mean.toFixed(1)} | ${percentile(sorted, 0.5).toFixed(1)} | ${percentile(sorted, 0.95).toFixed(1)} | ${percentile(sorted, 0.99).toFixed(1)} | ${(sorted.at(-1) ?? 0).toFixed(1)} | ${over(17.5)} (${((100 * over(17.5)) / Math.max(1, figures.frames)).toFixed(1)} %) | ${over(50)} | ${figures.longTasks.length} / ${Math.round(longTotal)} ms | ${figures.domRows} |`;
}

/** Customer messages in every conversation but the long chat, written straight to the database. */
async function seedHistory(businessId: string, count: number): Promise<void> {
  const conversations = await database.prisma.conversation.findMany({
    where: { businessId },
    select: { id: true, instanceId: true },
    orderBy: { lastMessageAt: 'desc' },
    skip: 1,
  });
  const start = Date.now() - 30 * 86_400_000;
  for (let offset = 0; offset < count; offset += 5_000) {
    await database.prisma.message.createMany({
      data: Array.from({ length: Math.min(5_000, count - offset) }, (_, index) => {
        const number = offset + index;
        const conversation = conversations[number % conversations.length]!;
        const text = `Hola, quería preguntar por el pedido ${number}, ¿cuándo llega? Gracias`;
        return {
          businessId,
          conversationId: conversation.id,
          instanceId: conversation.instanceId,
          direction: 'INBOUND' as const,
          author: 'CUSTOMER' as const,
          kind: 'text',
          text,
          content: { kind: 'text', text },
          providerMessageId: `history-${number}`,
          status: 'RECEIVED' as const,
          sentAt: new Date(start + number * 1_000),
        };
      }),
    });
  }
}

/** Times the search API for each term (after a warm-up request), as the console calls it. */
async function timeSearches(url: string, owner: { email: string; password: string }, terms: [string, string][]): Promise<string[]> {
  const accessToken = await accessTokenOf(url, owner);
  const rows: string[] = [];
  for (const [label, term] of terms) {
    const ask = async () => {
      const response = await fetch(`${url}/api/conversations?limit=100&q=${encodeURIComponent(term)}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      return ((await response.json()) as { items: unknown[] }).items.length;
    };
    const results = await ask();
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      const started = performance.now();
      await ask();
      times.push(performance.now() - started);
    }
    times.sort((left, right) => left - right);
    rows.push(
      `| ${label} (\`${term}\`) | ${results} | ${percentile(times, 0.5).toFixed(0)} | ${percentile(times, 0.95).toFixed(0)} | ${times.at(-1)!.toFixed(0)} |`,
    );
  }
  return rows;
}

const started = await startPlatformOnFreshDatabase();
const { database, platform } = started;
const browser = await launchChromium();
try {
  const machine = await describeMachine(database);
  const owner = { email: 'bench@console.example', password: 'correct horse battery staple', business: 'Bench' };
  const { businessId } = await registerVerifiedOwner(platform.url, database.prisma, owner);
  let started = performance.now();
  await seedInbox(database.prisma, { businessId, conversations: options.conversations, chatMessages: options.messages });
  const seedSeconds = (performance.now() - started) / 1_000;

  await seedHistory(businessId, options.history);
  const search = await timeSearches(platform.url, owner, [
    ['a contact deep in the list, by name', seededName(options.conversations - 7).toLowerCase()],
    ['a contact by phone digits', '+34 60 000 12 34'],
    ['an old message of the long chat', seededMessageText(11)],
    ['a word in every conversation (first page of 100)', 'pedido'],
    ['a term nothing contains (every message scanned)', 'zzz-nothing-like-this'],
  ]);

  const page = await (await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: 'en-US' })).newPage();
  await signInToConsole(page, platform.url, owner);
  await page.getByTestId('conversation').first().waitFor();

  const list = await scrollAndMeasure(page, '[data-testid="conversation-list"]', options.step, 'end', 20_000);
  const loadedConversations = await page.getByTestId('conversation-list').evaluate((element) => Math.round(element.scrollHeight / 76));

  started = performance.now();
  await page.getByTestId('conversation-list').evaluate((element) => element.scrollTo({ top: 0 }));
  await page
    .getByTestId('conversation')
    .filter({ hasText: seededName(0) })
    .click();
  await page.getByTestId('timeline').locator('[data-testid="message"]').last().waitFor();
  const openChatMs = performance.now() - started;
  const chatUp = await scrollAndMeasure(page, '[data-testid="timeline"]', -options.step, 'top-when-complete', 8_000);
  const chatDown = await scrollAndMeasure(page, '[data-testid="timeline"]', options.step * 2, 'end', 20_000);
  const chatUpLoaded = await scrollAndMeasure(page, '[data-testid="timeline"]', -options.step * 2, 'top', 20_000);
  const loadedMessages = await page.evaluate(() => document.querySelector('[data-testid="load-older"]') === null);

  const report = [
    `## Console scrolling`,
    ``,
    `\`npm run bench:console -- --conversations=${options.conversations} --messages=${options.messages} --step=${options.step}\` (${new Date().toISOString().slice(0, 10)}),`,
    `headless Chromium (${browser.version()}, \`--disable-gpu\`), viewport ${options.width}×${options.height}, the production console build served by the standalone process.`,
    ...machine.map((line) => `${line}  `),
    `seeded in ${seedSeconds.toFixed(1)} s; the list ended with ≈ ${loadedConversations.toLocaleString('en')} conversations loaded; chat opened (click → last bubble) in ${Math.round(openChatMs)} ms; every older page loaded: ${loadedMessages ? 'yes' : 'no'}.`,
    ``,
    `| scroll | frames | px moved | mean frame ms | p50 | p95 | p99 | max | frames > 17.5 ms | > 50 ms | long tasks (count / total) | rows in DOM at the end |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|`,
    summarize(`conversation list, top → end (${options.step} px/frame, pages of 100 fetched while scrolling)`, list),
    summarize(`chat, newest → oldest (${options.step} px/frame, pages of 100 older messages prepended while scrolling)`, chatUp),
    summarize(`chat fully loaded, top → bottom (${options.step * 2} px/frame)`, chatDown),
    summarize(`chat fully loaded, bottom → top (${options.step * 2} px/frame)`, chatUpLoaded),
    ``,
    `Inbox search on the same data (${options.conversations.toLocaleString('en')} conversations, ${(options.messages + options.history).toLocaleString('en')} messages), first page of up to 100, 20 requests each, one at a time:`,
    ``,
    `| search for | results | p50 ms | p95 ms | max ms |`,
    `|---|---|---|---|---|`,
    ...search,
  ];
  process.stdout.write(`${report.join('\n')}\n`);
} finally {
  await browser.close();
  await started.close();
}
