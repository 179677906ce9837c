import { z } from 'zod';

/**
 * The contract of a WhatsApp Web number's sending limits, between tenant-api (validates and stores them) and
 * baileys-sessions (its sending governor applies them).
 *
 * An instance's own sending settings (stored in `Instance.baileysSettings`; edited through tenant-api's
 * PATCH /instances/:id). Each one is optional: absent means the deployment's default (BAILEYS_* settings). The
 * ranges keep a number safe from a ban whatever a tenant types: at most one message a second, at least a second
 * between two messages to the same person, at most 200 first messages a day.
 */
export const sendingSettingsShape = {
  maxPerMinute: z.number().int().min(1).max(60).describe('Messages this number sends in any 60 seconds (1–60).'),
  minGapPerRecipientMs: z
    .number()
    .int()
    .min(1_000)
    .max(600_000)
    .describe('Milliseconds between two messages to the same person, before jitter (1000–600000).'),
  newContactsPerDay: z.number().int().min(0).max(200).describe('First messages per UTC day to people who never wrote to this number (0–200).'),
  typing: z.boolean().describe('Show "typing…" before each reply, for a time proportional to its length.'),
};

export const sendingSettingsSchema = z.object(sendingSettingsShape).partial().strict();
export type SendingSettings = z.infer<typeof sendingSettingsSchema>;

/** A change: a value sets the setting, null goes back to the deployment's default, an absent key is kept. */
export const sendingSettingsPatchSchema = z
  .object({
    maxPerMinute: sendingSettingsShape.maxPerMinute.nullable(),
    minGapPerRecipientMs: sendingSettingsShape.minGapPerRecipientMs.nullable(),
    newContactsPerDay: sendingSettingsShape.newContactsPerDay.nullable(),
    typing: sendingSettingsShape.typing.nullable(),
  })
  .partial()
  .strict();
export type SendingSettingsPatch = z.infer<typeof sendingSettingsPatchSchema>;

const settingKeys = Object.keys(sendingSettingsShape) as (keyof SendingSettings)[];

/** The stored settings, tolerantly: a value out of range or of the wrong type is ignored (the default applies). */
export function readSendingSettings(stored: unknown): SendingSettings {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  const settings: Record<string, unknown> = {};
  for (const key of settingKeys) {
    const parsed = sendingSettingsShape[key].safeParse((stored as Record<string, unknown>)[key]);
    if (parsed.success) settings[key] = parsed.data;
  }
  return settings as SendingSettings;
}

export function applySendingSettingsPatch(stored: unknown, patch: SendingSettingsPatch): SendingSettings {
  const next: Record<string, unknown> = { ...readSendingSettings(stored) };
  for (const key of settingKeys) {
    if (!(key in patch)) continue;
    if (patch[key] === null) delete next[key];
    else next[key] = patch[key];
  }
  return next as SendingSettings;
}
