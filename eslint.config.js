import tseslint from 'typescript-eslint';
import nodePlugin from 'eslint-plugin-n';

const ioModules = [
  'node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:child_process', 'fs', 'net', 'http',
  'express', 'pg', '@prisma/*', '@app/db', '@dapr/dapr', 'openai', 'ioredis', 'nodemailer', 'pino', '@app/runtime',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/generated/**', 'data/**', '**/dist/**', 'console-angular/src/**', 'console-angular/.angular/**'] },
  ...tseslint.configs.recommended,
  {
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
  {
    // The domain is plain TypeScript: no I/O, no frameworks. The same holds for each service's domain slice.
    files: ['packages/domain/src/**/*.ts', 'services/*/src/domain/**/*.ts', 'services/conversation-actors/src/conversation/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ioModules, allowTypeImports: true, message: 'Domain code has no I/O: talk to a port instead.' }] }],
    },
  },
);
