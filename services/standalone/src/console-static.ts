import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';

/** Paths that belong to the API and the webhooks: never answered with the console's page. */
const reservedPrefixes = ['/api/', '/webhooks/'];

/**
 * The console's Content Security Policy: scripts only from its own files (the build has no inline script), nothing
 * framed, no plugins, no `<base>`, requests only to its own origin. Media are shown from object URLs (`blob:`).
 * Styles allow 'unsafe-inline': Angular and Angular Material add component styles as `<style>` elements at run time.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'Content-Security-Policy': consoleContentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The built Angular console (`console-angular/dist/console-angular/browser`) at `/`: its files, and index.html for
 * every other page a browser asks for (client-side routes such as /inbox or /verify-email). Hashed bundles are
 * cached for a year, index.html never, so a new build is picked up on the next load. Every answer carries the
 * console's CSP (`consoleContentSecurityPolicy`). Null when there is no build.
 */
export function createConsoleRouter(directory: string): Router | null {
  const root = resolve(directory);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return null;
  const router = express.Router();
  router.use(
    express.static(root, {
      index: false,
      setHeaders: (response, path) => {
        for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
        response.setHeader('Cache-Control', /-[A-Za-z0-9_]{8,}\.(js|css)$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get(/.*/, (request, response, next) => {
    const reserved = request.path === '/api' || request.path === '/webhooks' || reservedPrefixes.some((prefix) => request.path.startsWith(prefix));
    if (reserved || request.accepts(['json', 'html']) !== 'html') return next();
    response.set({ ...securityHeaders, 'Cache-Control': 'no-cache' });
    response.sendFile(indexFile);
  });
  return router;
}
