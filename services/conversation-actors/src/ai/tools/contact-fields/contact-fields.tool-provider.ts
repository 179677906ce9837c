import {
  contactFieldValueOf,
  listContactFields,
  saveContactFieldValues,
  toContactFieldDefinition,
  type ContactField,
  type PrismaClient,
} from '@app/db';
import {
  contactFieldJsonValue,
  describeContactFieldForModel,
  parseContactFieldValue,
  type AgentTool,
  type ToolOutcome,
  type ToolProvider,
  type ToolScope,
  type ToolSet,
} from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';

export const saveContactFieldToolName = 'save_contact_field';

/**
 * The business's custom contact fields for the agent: a `save_contact_field` tool over the defined keys, and prompt
 * notes listing the fields and what is already known about this contact, so the model neither asks twice nor
 * guesses a key. A business without fields gets nothing (no tool, no notes).
 */
export function createContactFieldsToolProvider(deps: { prisma: PrismaClient; clock: Clock; logger: Logger }): ToolProvider {
  const { prisma } = deps;
  return {
    async load(scope: ToolScope): Promise<ToolSet> {
      const fields = await listContactFields(prisma, scope.businessId);
      if (fields.length === 0) return { tools: [] };
      const stored = await prisma.contactFieldValue.findMany({ where: { businessId: scope.businessId, contactId: scope.contactId } });
      const storedByField = new Map(stored.map((row) => [row.fieldId, row]));
      const known = fields.flatMap((field) => {
        const row = storedByField.get(field.id);
        const value = row ? contactFieldValueOf(field.type, row) : null;
        return value === null ? [] : [`- ${field.key}: ${JSON.stringify(contactFieldJsonValue(value))}`];
      });
      return {
        tools: [saveContactFieldTool(deps, fields)],
        promptNotes: [
          [
            `Contact fields: when the customer tells you one of these, save it with ${saveContactFieldToolName}.`,
            ...fields.map((field) => `- ${describeContactFieldForModel(toContactFieldDefinition(field))}`),
          ].join('\n'),
          known.length > 0
            ? ['Already known about this customer (do not ask again; save again only if they correct it):', ...known].join('\n')
            : 'Nothing is known about this customer yet.',
        ],
      };
    },
  };
}

function saveContactFieldTool(deps: { prisma: PrismaClient; clock: Clock; logger: Logger }, fields: ContactField[]): AgentTool {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  return {
    name: saveContactFieldToolName,
    description:
      "Save something the customer told you about themselves into one of the business's contact fields, so it is remembered. " +
      'Only save what the customer actually said; the value must fit the field (see the contact fields in your instructions).',
    parameters: {
      type: 'object',
      properties: {
        field: { type: 'string', enum: fields.map((field) => field.key), description: 'The key of the field.' },
        value: {
          type: 'string',
          description: "The value as text: a number such as 12.5, a date as YYYY-MM-DD, or one of the field's options.",
        },
      },
      required: ['field', 'value'],
      additionalProperties: false,
    },
    // Saving the same value again changes nothing, but a retried buffer still gets the recorded result back.
    sideEffects: true,
    timeoutMs: 5_000,
    async run(args, call): Promise<ToolOutcome> {
      const field = typeof args['field'] === 'string' ? byKey.get(args['field']) : undefined;
      if (!field) return { ok: false, error: `unknown field; use one of: ${[...byKey.keys()].join(', ')}` };
      const parsed = parseContactFieldValue(field, args['value']);
      if (!parsed.ok) return { ok: false, error: `${field.key} ${parsed.error}` };
      const saved = await deps.prisma.$transaction(async (transaction) => {
        // The business may have deleted the field since the reply started: say so instead of failing on the key.
        const exists = await transaction.contactField.count({ where: { id: field.id, businessId: call.businessId } });
        if (exists === 0) return null;
        return saveContactFieldValues(transaction, {
          businessId: call.businessId,
          contactId: call.contactId,
          changes: [{ field, value: parsed.value }],
          setBy: 'AI',
          setByUserId: null,
          now: deps.clock.now(),
        });
      });
      if (saved === null) return { ok: false, error: `the field ${field.key} no longer exists` };
      deps.logger.info(
        { event: 'contact_field.saved_by_ai', businessId: call.businessId, contactId: call.contactId, key: field.key, changed: saved.length > 0 },
        'agent saved a contact field',
      );
      return { ok: true, result: { saved: true, field: field.key, value: contactFieldJsonValue(parsed.value) } };
    },
  };
}
