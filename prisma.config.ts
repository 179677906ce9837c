import { defineConfig } from 'prisma/config';

// The CLI is used only for `prisma generate`; migrations are applied by packages/db with Prisma's
// WebAssembly schema engine, so no native engine download is ever needed.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
