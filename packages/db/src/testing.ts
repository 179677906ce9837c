// Test helpers, imported as `@app/db/testing`: never from production code.
export { createTestDatabase } from './testing/create-test-database.ts';
export type { CreateTestDatabaseOptions, TestDatabase } from './testing/create-test-database.ts';
