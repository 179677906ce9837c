/** The server that test databases are created on: any database on it the test user may connect to. */
export function testDatabaseBaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}
