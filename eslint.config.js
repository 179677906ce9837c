import tseslint from 'typescript-eslint';
import angular from 'angular-eslint';
import nodePlugin from 'eslint-plugin-n';

/**
 * Which workspace packages each one may import (its own subpaths always). One direction: domain ← db ← runtime ←
 * services; testkit (wire-format doubles) is for tests and may be used by all. Services never import each other:
 * what two of them share is a contract in @app/domain; only the standalone composition root wires services together.
 * scripts/package-layers.test.ts checks every import of the tree against this table and that no cycle remains.
 */
export const allowedWorkspaceImports = {
  '@app/domain': [],
  '@app/db': ['@app/domain'],
  '@app/testkit': [],
  '@app/runtime': ['@app/db', '@app/domain', '@app/testkit'],
  '@app/baileys-sessions': ['@app/db', '@app/domain', '@app/runtime', '@app/testkit'],
  '@app/conversation-actors': ['@app/db', '@app/domain', '@app/runtime', '@app/testkit'],
  '@app/meta-webhooks': ['@app/db', '@app/domain', '@app/runtime', '@app/testkit'],
  '@app/tenant-api': ['@app/db', '@app/domain', '@app/runtime', '@app/testkit'],
  '@app/standalone': [
    '@app/db',
    '@app/domain',
    '@app/runtime',
    '@app/testkit',
    '@app/baileys-sessions',
    '@app/conversation-actors',
    '@app/meta-webhooks',
    '@app/tenant-api',
  ],
};
export const workspaceFolders = {
  '@app/domain': 'packages/domain',
  '@app/db': 'packages/db',
  '@app/testkit': 'packages/testkit',
  '@app/runtime': 'packages/runtime',
  '@app/baileys-sessions': 'services/baileys-sessions',
  '@app/conversation-actors': 'services/conversation-actors',
  '@app/meta-webhooks': 'services/meta-webhooks',
  '@app/tenant-api': 'services/tenant-api',
  '@app/standalone': 'services/standalone',
};

const services = Object.keys(workspaceFolders).filter((name) => workspaceFolders[name].startsWith('services/'));

/** The import patterns a package may not use: every other workspace package it is not allowed, with its subpaths. */
function forbiddenWorkspaceImports(name) {
  const forbidden = Object.keys(workspaceFolders).filter((other) => other !== name && !allowedWorkspaceImports[name].includes(other));
  return forbidden.length === 0
    ? []
    : [
        {
          group: forbidden.flatMap((other) => [other, `${other}/*`]),
          message: `${name} may not import this package (see allowedWorkspaceImports in eslint.config.js).`,
        },
      ];
}

const ioModules = [
  'node:fs',
  'node:fs/promises',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'fs',
  'net',
  'http',
  'express',
  'pg',
  '@prisma/*',
  '@app/db',
  '@dapr/dapr',
  'openai',
  'ioredis',
  'nodemailer',
  'pino',
  '@app/runtime',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/generated/**', '**/*.generated.ts', 'data/**', '**/dist/**', 'console-angular/.angular/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { n: nodePlugin },
    rules: {
      'no-console': 'error',
      'n/no-process-env': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Configuration is read in one place per service; tests and scripts may set up their own environment.
    files: ['**/config.ts', '**/*.test.ts', 'scripts/**', 'packages/testkit/**', '**/test/**', '**/e2e/**'],
    rules: { 'n/no-process-env': 'off' },
  },
  {
    files: ['scripts/**', '**/bench/**'],
    rules: { 'no-console': 'off' },
  },
  // Layers: each package imports only what allowedWorkspaceImports gives it (the domain slices below add theirs).
  ...Object.entries(workspaceFolders).map(([name, folder]) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: forbiddenWorkspaceImports(name) }] },
  })),
  {
    // The domain is plain TypeScript: no I/O, no frameworks. The same holds for each service's domain slice.
    files: ['services/*/src/domain/**/*.ts', 'services/conversation-actors/src/conversation/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ioModules, allowTypeImports: true, message: 'Domain code has no I/O: talk to a port instead.' },
            // This block replaces the layer rule's options for these files, so the layer rule is restated here.
            { group: services.flatMap((name) => [name, `${name}/*`]), message: 'Services never import each other.' },
          ],
        },
      ],
    },
  },
  {
    // The shared domain and the contracts between services: plain TypeScript, importing no other package.
    files: ['packages/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ioModules, message: 'The domain has no I/O.' }, ...forbiddenWorkspaceImports('@app/domain')] },
      ],
    },
  },
  {
    // The console (Angular 22): the framework's own rules, templates inline or not, plus their accessibility checks.
    files: ['console-angular/src/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'app', style: 'kebab-case' }],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'app', style: 'camelCase' }],
    },
  },
  {
    files: ['console-angular/src/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
);
