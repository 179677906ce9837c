/** RFC 6902 JSON Patch (add, remove, replace, test), enough for what kubectl and client libraries send. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: unknown;
}

export class JsonPatchError extends Error {}

export function applyJsonPatch<T>(document: T, operations: JsonPatchOperation[]): T {
  const result = structuredClone(document) as unknown;
  for (const operation of operations) {
    const tokens = operation.path
      .split('/')
      .slice(1)
      .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (tokens.length === 0) throw new JsonPatchError(`unsupported path "${operation.path}"`);
    const last = tokens.pop()!;
    let parent = result as Record<string, unknown>;
    for (const token of tokens) {
      const next = parent[token];
      if (next === undefined || next === null || typeof next !== 'object') {
        if (operation.op !== 'add') throw new JsonPatchError(`path "${operation.path}" does not exist`);
        parent[token] = {};
      }
      parent = parent[token] as Record<string, unknown>;
    }
    switch (operation.op) {
      case 'test':
        if (JSON.stringify(parent[last]) !== JSON.stringify(operation.value)) {
          throw new JsonPatchError(`test failed: "${operation.path}" is ${JSON.stringify(parent[last])}, not ${JSON.stringify(operation.value)}`);
        }
        break;
      case 'add':
      case 'replace':
        if (operation.op === 'replace' && !(last in parent)) throw new JsonPatchError(`path "${operation.path}" does not exist`);
        parent[last] = structuredClone(operation.value);
        break;
      case 'remove':
        if (!(last in parent)) throw new JsonPatchError(`path "${operation.path}" does not exist`);
        delete parent[last];
        break;
      default:
        throw new JsonPatchError(`unsupported op "${operation.op}"`);
    }
  }
  return result as T;
}

/** RFC 7386 JSON Merge Patch (a strategic merge patch of plain fields behaves the same). */
export function applyMergePatch<T>(document: T, patch: unknown): T {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch) as T;
  const result = (document !== null && typeof document === 'object' && !Array.isArray(document) ? structuredClone(document) : {}) as Record<
    string,
    unknown
  >;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result as T;
}
