/**
 * The body template of an HTTP tool: JSON text with `{{variable}}` placeholders, filled from the model's arguments
 * and the conversation's context just before the call.
 *
 * Where a placeholder sits decides how its value is written, so the result is always valid JSON:
 * - the whole of a JSON string (`"{{count}}"`) or outside any string (`{"count": {{count}}}`): the quotes go and the
 *   value is written as JSON — a number stays a number, an object an object, a string becomes a JSON string;
 * - inside a longer string (`"Hola {{contact.name}}!"`): the value's text (a non-string as its JSON) is written
 *   JSON-escaped, so a quote or a newline in it cannot break out of the string.
 * A variable without a value is an error listing every missing name, never a silent blank.
 */

/** Variables from the conversation, beside the model's arguments; they win over an argument of the same name. */
export const httpToolContextVariables = ['contact.phone', 'contact.name', 'conversation.id', 'business.name'] as const;
export type HttpToolContextVariable = (typeof httpToolContextVariables)[number];

/** The conversation's values; null when unknown (a contact without a name) — then using it is a missing variable. */
export type HttpToolContextValues = Record<HttpToolContextVariable, string | null>;

export type BodyTemplateResult = { ok: true; body: string } | { ok: false; missing: string[] } | { ok: false; invalidJson: string };

const placeholder = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/;
const wholeStringPlaceholder = /^"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}"/;

/** Fills the template; without one, the body is the arguments as a JSON object. */
export function renderBodyTemplate(template: string | null, args: Record<string, unknown>, context: HttpToolContextValues): BodyTemplateResult {
  if (template === null || template.trim() === '') return { ok: true, body: JSON.stringify(args) };
  const missing = new Set<string>();
  const body = fill(template, (name) => {
    const value = valueOf(name, args, context);
    if (value === undefined) missing.add(name);
    return value;
  });
  if (missing.size > 0) return { ok: false, missing: [...missing] };
  try {
    JSON.parse(body);
  } catch (error) {
    return { ok: false, invalidJson: (error as Error).message };
  }
  return { ok: true, body };
}

/** The variable names a template uses, in order of first use. */
export function bodyTemplateVariables(template: string): string[] {
  const names = new Set<string>();
  fill(template, (name) => {
    names.add(name);
    return null;
  });
  return [...names];
}

/**
 * Checks a template when it is saved: it must be JSON once every placeholder has a value, and each variable must
 * be a context variable or a parameter the schema declares (a typo would otherwise only show at call time).
 */
export function checkBodyTemplate(template: string, parameterNames: readonly string[]): string[] {
  const problems: string[] = [];
  try {
    JSON.parse(fill(template, () => null));
  } catch (error) {
    problems.push(`is not JSON once its placeholders are filled: ${(error as Error).message}`);
  }
  for (const name of bodyTemplateVariables(template)) {
    const known = (httpToolContextVariables as readonly string[]).includes(name) || parameterNames.includes(name.split('.')[0]!);
    if (!known) problems.push(`uses {{${name}}}, which is neither a parameter nor one of ${httpToolContextVariables.join(', ')}`);
  }
  return problems;
}

function fill(template: string, lookup: (name: string) => unknown): string {
  let output = '';
  let inString = false;
  let index = 0;
  while (index < template.length) {
    const rest = template.slice(index);
    const character = template[index]!;
    if (inString && character === '\\') {
      output += template.slice(index, index + 2);
      index += 2;
      continue;
    }
    if (character === '"') {
      const whole = inString ? null : wholeStringPlaceholder.exec(rest);
      if (whole) {
        output += asJson(lookup(whole[1]!));
        index += whole[0].length;
        continue;
      }
      inString = !inString;
      output += character;
      index += 1;
      continue;
    }
    const match = character === '{' ? placeholder.exec(rest) : null;
    if (match) {
      const value = lookup(match[1]!);
      output += inString ? escapedInString(value) : asJson(value);
      index += match[0].length;
      continue;
    }
    output += character;
    index += 1;
  }
  return output;
}

function valueOf(name: string, args: Record<string, unknown>, context: HttpToolContextValues): unknown {
  if ((httpToolContextVariables as readonly string[]).includes(name)) return context[name as HttpToolContextVariable] ?? undefined;
  // `{{order.id}}` reaches into an object argument.
  let value: unknown = args;
  for (const key of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asJson(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function escapedInString(value: unknown): string {
  const text = typeof value === 'string' ? value : asJson(value);
  return JSON.stringify(text).slice(1, -1);
}
