import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ObjectStore } from '../ports/object-store.ts';
import { AppError } from '../service/app-error.ts';

/**
 * ObjectStore on a local directory (standalone mode). Each object is `<key>` plus `<key>.meta.json` holding its
 * content type; both are written to a temporary name and renamed, so a crash never leaves half an object.
 */
export function createFileObjectStore(directory: string): ObjectStore {
  const root = resolve(directory);

  function pathOf(key: string): string {
    const path = resolve(root, key);
    if (key === '' || key.endsWith('.meta.json') || !path.startsWith(root + sep)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid object key.', { key });
    }
    return path;
  }

  async function writeAtomically(path: string, body: Buffer | string): Promise<void> {
    const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  return {
    async put(key, body, contentType) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeAtomically(path, body);
      await writeAtomically(`${path}.meta.json`, JSON.stringify({ contentType }));
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const [body, meta] = await Promise.all([readFile(path), readFile(`${path}.meta.json`, 'utf8')]);
        return { body, contentType: (JSON.parse(meta) as { contentType: string }).contentType };
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(`${path}.meta.json`, { force: true });
      await rm(path, { force: true });
    },
  };
}
