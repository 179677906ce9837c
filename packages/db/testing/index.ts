// Test helpers, imported as `@app/db/testing`: never from production code.
export { createTestDatabase } from './create-test-database.ts';
export type { CreateTestDatabaseOptions, TestDatabase } from './create-test-database.ts';
