import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { ContactFieldChanged, Topics, type AgentTool, type DomainEvent, type ToolCallContext } from '@app/domain';
import { createLogger } from '@app/runtime/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolProviders } from '../tool-providers.ts';
import { createContactFieldsToolProvider } from './contact-fields.tool-provider.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const logger = createLogger({ service: 'contact-fields-tool-test', level: 'silent' });

async function seedBusiness(name: string) {
  const { prisma } = database;
  const business = await prisma.business.create({ data: { name } });
  const instance = await prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: 'sandbox' } });
  const contact = await prisma.contact.create({ data: { businessId: business.id, phone: '+34600111222', name: 'Ana' } });
  const conversation = await prisma.conversation.create({ data: { businessId: business.id, instanceId: instance.id, contactId: contact.id } });
  return { businessId: business.id, instanceId: instance.id, contactId: contact.id, conversationId: conversation.id };
}

const callOf = (scope: Awaited<ReturnType<typeof seedBusiness>>, key = 'buffer-1:0:0'): ToolCallContext => ({
  ...scope,
  provider: 'SANDBOX',
  idempotencyKey: key,
  signal: new AbortController().signal,
});

describe('save_contact_field tool provider', () => {
  it('gives a business without fields no tool and no notes', async () => {
    const scope = await seedBusiness('Sin campos');
    expect(await createContactFieldsToolProvider({ prisma: database.prisma, clock, logger }).load(scope)).toEqual({ tools: [] });
    // Registered with the agent's other tool sources.
    expect(createToolProviders({ prisma: database.prisma, clock, logger }).length).toBeGreaterThanOrEqual(1);
  });

  it('offers the defined keys, tells the model the fields and the known values, and saves valid values as AI', async () => {
    const { prisma } = database;
    const scope = await seedBusiness('Zapatería Sol');
    const other = await seedBusiness('Otra');
    const city = await prisma.contactField.create({
      data: { businessId: scope.businessId, key: 'city', label: 'Ciudad', type: 'TEXT', description: 'Donde vive el cliente', position: 0 },
    });
    await prisma.contactField.create({ data: { businessId: scope.businessId, key: 'shoe_size', label: 'Talla', type: 'NUMBER', position: 1 } });
    await prisma.contactField.create({
      data: { businessId: scope.businessId, key: 'size', label: 'Talla camiseta', type: 'ENUM', options: ['S', 'M', 'L'], position: 2 },
    });
    await prisma.contactField.create({ data: { businessId: scope.businessId, key: 'birthday', label: 'Cumpleaños', type: 'DATE', position: 3 } });
    await prisma.contactField.create({ data: { businessId: other.businessId, key: 'secret_other', label: 'x', type: 'TEXT' } });
    await prisma.contactFieldValue.create({
      data: { businessId: scope.businessId, contactId: scope.contactId, fieldId: city.id, textValue: 'Madrid', setBy: 'OPERATOR' },
    });

    const provider = createContactFieldsToolProvider({ prisma, clock, logger });
    const set = await provider.load(scope);
    expect(set.tools.map((tool) => tool.name)).toEqual(['save_contact_field']);
    const tool = set.tools[0]!;
    expect(tool.sideEffects).toBe(true);
    expect(tool.parameters).toMatchObject({
      type: 'object',
      required: ['field', 'value'],
      properties: { field: { enum: ['city', 'shoe_size', 'size', 'birthday'] }, value: { type: 'string' } },
    });
    expect(set.promptNotes).toEqual([
      [
        'Contact fields: when the customer tells you one of these, save it with save_contact_field.',
        '- city (Ciudad, text): Donde vive el cliente',
        '- shoe_size (Talla, number)',
        '- size (Talla camiseta, one of: S, M, L)',
        '- birthday (Cumpleaños, date YYYY-MM-DD)',
      ].join('\n'),
      'Already known about this customer (do not ask again; save again only if they correct it):\n- city: "Madrid"',
    ]);

    const run = (args: Record<string, unknown>, key?: string) => tool.run(args, callOf(scope, key));
    expect(await run({ field: 'shoe_size', value: '42,5' })).toEqual({ ok: true, result: { saved: true, field: 'shoe_size', value: 42.5 } });
    expect(await run({ field: 'size', value: 'm' })).toEqual({ ok: true, result: { saved: true, field: 'size', value: 'M' } });
    expect(await run({ field: 'birthday', value: '1990-02-30' })).toEqual({ ok: false, error: 'birthday must be a date written YYYY-MM-DD' });
    expect(await run({ field: 'size', value: 'XXL' })).toEqual({ ok: false, error: 'size must be one of: S, M, L' });
    expect(await run({ field: 'secret_other', value: 'x' })).toEqual({
      ok: false,
      error: 'unknown field; use one of: city, shoe_size, size, birthday',
    });
    expect(await run({ field: 'city', value: 'Sevilla' })).toMatchObject({ ok: true });

    const rows = await prisma.contactFieldValue.findMany({
      where: { contactId: scope.contactId },
      include: { field: true },
      orderBy: { field: { position: 'asc' } },
    });
    expect(rows.map((row) => [row.field.key, row.textValue ?? row.numberValue, row.setBy, row.setByUserId])).toEqual([
      ['city', 'Sevilla', 'AI', null],
      ['shoe_size', 42.5, 'AI', null],
      ['size', 'M', 'AI', null],
    ]);

    // The same call again (a redelivered buffer whose record was lost) changes nothing and publishes nothing more.
    const events = async () =>
      (await prisma.outboxEvent.findMany({ where: { topic: Topics.contactsFields }, orderBy: { id: 'asc' } })).map((row) =>
        ContactFieldChanged.parse(row.payload as unknown as DomainEvent),
      );
    const before = await events();
    expect(before.map((event) => [event.data.fieldKey, event.data.value, event.data.setBy])).toEqual([
      ['shoe_size', 42.5, 'AI'],
      ['size', 'M', 'AI'],
      ['city', 'Sevilla', 'AI'],
    ]);
    expect(await run({ field: 'size', value: 'M' })).toMatchObject({ ok: true });
    expect(await events()).toHaveLength(before.length);

    // The next reply sees what was learned.
    expect((await provider.load(scope)).promptNotes![1]).toBe(
      'Already known about this customer (do not ask again; save again only if they correct it):\n- city: "Sevilla"\n- shoe_size: 42.5\n- size: "M"',
    );
    // The other business's contact is untouched and sees only its own field.
    const otherSet = await provider.load(other);
    expect((otherSet.tools[0] as AgentTool).parameters).toMatchObject({ properties: { field: { enum: ['secret_other'] } } });
    expect(otherSet.promptNotes![1]).toBe('Nothing is known about this customer yet.');
  });

  it('reports a field deleted while the reply was being written as a tool error', async () => {
    const { prisma } = database;
    const scope = await seedBusiness('Borrado');
    const field = await prisma.contactField.create({ data: { businessId: scope.businessId, key: 'city', label: 'City', type: 'TEXT' } });
    const [tool] = (await createContactFieldsToolProvider({ prisma, clock, logger }).load(scope)).tools;
    await prisma.contactField.delete({ where: { id: field.id } });
    expect(await tool!.run({ field: 'city', value: 'Madrid' }, callOf(scope))).toEqual({ ok: false, error: 'the field city no longer exists' });
    await expect(prisma.contactFieldValue.count({ where: { contactId: scope.contactId } })).resolves.toBe(0);
  });
});
