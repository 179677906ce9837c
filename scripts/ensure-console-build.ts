import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// `npm start` runs this first: builds the console when its build is missing or older than its sources, so
// `npm ci && npm start` serves the console at / on a fresh machine, and an unchanged tree starts at once.
const consoleRoot = 'console-angular';
const builtIndex = join(consoleRoot, 'dist/console-angular/browser/index.html');

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stats.mtimeMs);
}

const sources = [join(consoleRoot, 'src'), join(consoleRoot, 'public'), join(consoleRoot, 'angular.json'), join(consoleRoot, 'package.json')];
const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const changedAt = Math.max(...sources.filter((path) => existsSync(path)).map(newestChange));

if (builtAt >= changedAt) {
  console.log('console build is up to date');
} else {
  console.log(builtAt === 0 ? 'building the console (first start)…' : 'the console changed since its last build: rebuilding…');
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build', '--workspace', consoleRoot], {
    stdio: 'inherit',
    env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log(`console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
