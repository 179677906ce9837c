/**
 * Dynamic variables an operator can write in the system prompt ({{now}}, {{date}} …), resolved in the
 * business's timezone just before the prompt is sent to the model. Unknown variables are left as written.
 */
export interface PromptVariableContext {
  now: Date;
  timezone: string;
  businessName: string;
  contactName: string | null;
  locale?: string;
}

export function resolvePromptVariables(template: string, context: PromptVariableContext): string {
  const locale = context.locale ?? 'en-US';
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { timeZone: context.timezone, ...options }).format(context.now);
  const values: Record<string, () => string> = {
    now: () => format({ dateStyle: 'full', timeStyle: 'short' }),
    date: () => format({ year: 'numeric', month: '2-digit', day: '2-digit' }),
    time: () => format({ hour: '2-digit', minute: '2-digit', hour12: false }),
    weekday: () => format({ weekday: 'long' }),
    timezone: () => context.timezone,
    business_name: () => context.businessName,
    contact_name: () => context.contactName ?? '',
  };
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/gi, (match, name: string) => {
    const value = values[name.toLowerCase()];
    return value ? value() : match;
  });
}

export const PROMPT_VARIABLE_NAMES = ['now', 'date', 'time', 'weekday', 'timezone', 'business_name', 'contact_name'];
