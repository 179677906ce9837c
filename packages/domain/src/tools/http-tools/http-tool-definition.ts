/** The rules a business's HTTP tool is saved under (tenant-api checks them; the caller relies on them). */

/** OpenAI's rule for function names: what the model calls the tool by. */
export const httpToolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

export const httpToolTimeouts = { defaultMs: 10_000, minMs: 1_000, maxMs: 30_000 } as const;

/** What reaches the model of a response, at most; a larger body is an error, not a truncated JSON. */
export const httpToolResponseCapBytes = 16 * 1024;

/** Redirects an HTTP tool follows, each checked like the first address. */
export const httpToolMaxRedirects = 3;

const jsonTypes = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const maxSchemaDepth = 6;
const maxSchemaChars = 16 * 1024;

/**
 * Checks that a tool's parameters are a JSON Schema the model and the argument validator can use: an object schema
 * whose properties are schemas with known types, whose `required` names declared properties. Returns the problems
 * as `{path, message}` (empty when valid); paths are JSON-pointer-like (`properties.city.type`).
 */
export function checkParametersSchema(schema: unknown): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (JSON.stringify(schema ?? null).length > maxSchemaChars) return [{ path: '', message: `must be at most ${maxSchemaChars} characters of JSON` }];
  if (!isObject(schema)) return [{ path: '', message: 'must be a JSON Schema object' }];
  if (schema['type'] !== 'object') problems.push({ path: 'type', message: 'must be "object": the model passes its arguments as one object' });
  checkSchema(schema, '', 0, problems);
  return problems;
}

/** The top-level parameter names of a checked schema. */
export function parameterNames(schema: Record<string, unknown>): string[] {
  return isObject(schema['properties']) ? Object.keys(schema['properties']) : [];
}

function checkSchema(schema: unknown, path: string, depth: number, problems: Array<{ path: string; message: string }>): void {
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (!isObject(schema)) {
    problems.push({ path, message: 'must be a schema object' });
    return;
  }
  if (depth > maxSchemaDepth) {
    problems.push({ path, message: `nests deeper than ${maxSchemaDepth} levels` });
    return;
  }
  const type = schema['type'];
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (types.length === 0 || !types.every((entry) => typeof entry === 'string' && jsonTypes.has(entry))) {
      problems.push({ path: at('type'), message: `must be one of ${[...jsonTypes].join(', ')} (or a list of them)` });
    }
  }
  if (schema['description'] !== undefined && typeof schema['description'] !== 'string') {
    problems.push({ path: at('description'), message: 'must be a string' });
  }
  if (schema['enum'] !== undefined && (!Array.isArray(schema['enum']) || schema['enum'].length === 0)) {
    problems.push({ path: at('enum'), message: 'must be a non-empty list' });
  }
  const properties = schema['properties'];
  if (properties !== undefined) {
    if (!isObject(properties)) problems.push({ path: at('properties'), message: 'must be an object of schemas' });
    else for (const [name, property] of Object.entries(properties)) checkSchema(property, at(`properties.${name}`), depth + 1, problems);
  }
  const required = schema['required'];
  if (required !== undefined) {
    const declared = isObject(properties) ? Object.keys(properties) : [];
    if (!Array.isArray(required) || !required.every((name) => typeof name === 'string')) {
      problems.push({ path: at('required'), message: 'must be a list of property names' });
    } else {
      for (const name of required)
        if (!declared.includes(name)) problems.push({ path: at('required'), message: `names "${name}", which is not a property` });
    }
  }
  if (schema['items'] !== undefined) checkSchema(schema['items'], at('items'), depth + 1, problems);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (options === undefined) continue;
    if (!Array.isArray(options) || options.length === 0) problems.push({ path: at(key), message: 'must be a non-empty list of schemas' });
    else options.forEach((option, index) => checkSchema(option, at(`${key}.${index}`), depth + 1, problems));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
