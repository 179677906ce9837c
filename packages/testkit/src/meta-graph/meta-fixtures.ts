import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Golden Cloud API webhook payloads (`<name>.json`) and their normalized form (`<name>.expected.json`). */
export const metaFixturesDirectory = fileURLToPath(new URL('../../fixtures/meta/', import.meta.url));

export function metaFixtureNames(): string[] {
  return readdirSync(metaFixturesDirectory)
    .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** The exact bytes of a fixture, as they would arrive in the request body. */
export function readMetaFixtureRaw(name: string): string {
  return readFileSync(`${metaFixturesDirectory}${name}.json`, 'utf8');
}

export function readMetaFixture(name: string): unknown {
  return JSON.parse(readMetaFixtureRaw(name));
}
