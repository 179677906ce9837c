import type { AbstractControl, ValidationErrors } from '@angular/forms';
import type { ApiProblem } from '../../../core/api/api-error';
import type { CreateHttpToolRequest, HttpToolView, UpdateHttpToolRequest } from '../../../core/api/api-models';

/** The editor's fields as the form holds them: JSON as text, headers as rows (a stored value is never known). */
export interface HttpToolFormValue {
  name: string;
  description: string;
  url: string;
  parameters: string;
  bodyTemplate: string;
  timeoutMs: number;
  active: boolean;
  headers: Array<{ name: string; value: string; stored: boolean }>;
}

export const emptyParameters = '{\n  "type": "object",\n  "properties": {},\n  "required": []\n}';

export function formValueOf(tool: HttpToolView | null): HttpToolFormValue {
  if (!tool)
    return {
      name: '',
      description: '',
      url: 'https://',
      parameters: emptyParameters,
      bodyTemplate: '',
      timeoutMs: 10_000,
      active: true,
      headers: [],
    };
  return {
    name: tool.name,
    description: tool.description,
    url: tool.url,
    parameters: JSON.stringify(tool.parameters, null, 2),
    bodyTemplate: tool.bodyTemplate ?? '',
    timeoutMs: tool.timeoutMs,
    active: tool.active,
    headers: tool.headers.map((header) => ({ name: header.name, value: '', stored: true })),
  };
}

/** A JSON object typed as text; empty text is `fallback`, anything but an object is null. */
export function parseJsonObject(text: string, fallback: Record<string, unknown> | null = null): Record<string, unknown> | null {
  if (text.trim() === '') return fallback;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Validator: the control's text is a JSON object (empty allowed when `optional`). */
export function jsonObject(optional: boolean) {
  return (control: AbstractControl<string>): ValidationErrors | null =>
    (optional && control.value.trim() === '') || parseJsonObject(control.value) !== null ? null : { json: true };
}

/** The body of POST (new) or PATCH (existing): a stored header without a new value is sent without one, so it is kept. */
export function toolRequest(value: HttpToolFormValue): CreateHttpToolRequest & UpdateHttpToolRequest {
  return {
    name: value.name.trim(),
    description: value.description.trim(),
    url: value.url.trim(),
    method: 'POST',
    parameters: parseJsonObject(value.parameters) ?? {},
    bodyTemplate: value.bodyTemplate.trim() === '' ? null : value.bodyTemplate,
    timeoutMs: Number(value.timeoutMs),
    active: value.active,
    headers: value.headers
      .filter((header) => header.name.trim() !== '')
      .map((header) =>
        header.stored && header.value === '' ? { name: header.name.trim() } : { name: header.name.trim(), value: header.value },
      ) as Array<{
      name: string;
      value: string;
    }>,
  };
}

/** The template variables a failed test names (`{{order}} has no value`), or null when the problem is another one. */
export function missingVariables(problem: ApiProblem): string[] | null {
  if (problem.code !== 'VALIDATION_FAILED' || !Array.isArray(problem.details)) return null;
  const names = (problem.details as Array<{ message?: unknown }>)
    .map((detail) => (typeof detail.message === 'string' ? /^\{\{(.+)\}\} has no value$/.exec(detail.message)?.[1] : undefined))
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? names : null;
}

/** A validation problem as one line per field (`bodyTemplate: uses {{x}} …`). */
export function problemLines(problem: ApiProblem): string[] {
  if (!Array.isArray(problem.details)) return [problem.message];
  return (problem.details as Array<{ path?: unknown; message?: unknown }>).map(
    (detail) => `${String(detail.path ?? '').replace(/^body\./, '')}: ${String(detail.message ?? '')}`,
  );
}
