import type { z } from 'zod';

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parses the environment with a service's zod schema, once, at start. On failure it names every missing or
 * invalid key — never a value, which may be a secret.
 */
export function loadConfig<TSchema extends z.ZodType>(schema: TSchema, environment: Record<string, string | undefined>): z.infer<TSchema> {
  const cleaned = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)';
    return issue.code === 'invalid_type' && cleaned[key] === undefined ? `${key}: is required` : `${key}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/**
 * Loads several schemas and keeps every ConfigError's problems, so a start-up failure lists all of them at once.
 * `attempt` returns undefined for a schema that failed; throw `new ConfigError(problems)` when any are left.
 */
export function collectConfigProblems() {
  const problems: string[] = [];
  return {
    problems,
    attempt<T>(load: () => T): T | undefined {
      try {
        return load();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
        return undefined;
      }
    },
  };
}
