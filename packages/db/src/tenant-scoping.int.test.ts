import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../testing/create-test-database.ts';
import { createTestDatabase } from '../testing/create-test-database.ts';

// The database itself refuses cross-tenant links: children reference their parents through (id, businessId).
describe('tenant scoping by composite foreign keys', () => {
  let database: TestDatabase;
  let ours: { businessId: string; instanceId: string; contactId: string };
  let theirs: { businessId: string; instanceId: string; contactId: string };

  async function createTenant(name: string) {
    const business = await database.prisma.business.create({ data: { name } });
    const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'SANDBOX', name: `${name} line` } });
    const contact = await database.prisma.contact.create({ data: { businessId: business.id, phone: '+15550001' } });
    return { businessId: business.id, instanceId: instance.id, contactId: contact.id };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    ours = await createTenant('Ours');
    theirs = await createTenant('Theirs');
  });
  afterAll(() => database?.drop());

  it('accepts a conversation whose instance and contact belong to its business', async () => {
    const conversation = await database.prisma.conversation.create({ data: ours });
    expect(conversation.businessId).toBe(ours.businessId);
  });

  it("refuses a conversation pointing at another business's instance", async () => {
    await expect(database.prisma.conversation.create({ data: { ...ours, instanceId: theirs.instanceId } })).rejects.toMatchObject({ code: 'P2003' });
  });

  it("refuses a conversation pointing at another business's contact", async () => {
    await expect(database.prisma.conversation.create({ data: { ...ours, contactId: theirs.contactId } })).rejects.toMatchObject({ code: 'P2003' });
  });

  it("refuses a message filed under another business's conversation", async () => {
    const conversation = await database.prisma.conversation.create({ data: theirs });
    await expect(
      database.prisma.message.create({
        data: {
          businessId: ours.businessId,
          conversationId: conversation.id,
          instanceId: theirs.instanceId,
          direction: 'INBOUND',
          author: 'CUSTOMER',
          kind: 'text',
          status: 'RECEIVED',
          sentAt: new Date(),
        },
      }),
    ).rejects.toMatchObject({ code: 'P2003' });
  });
});
