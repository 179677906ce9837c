import { ContactFieldChanged, Topics, type DomainEvent } from '@app/domain';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenIssuer } from '../src/auth/access-tokens.ts';
import { contactFieldListSchema, contactFieldViewSchema } from '../src/contact-fields/contact-fields.schema.ts';
import { contactFieldValuesSchema, contactPageSchema } from '../src/contacts/contacts.schema.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

describe('tenant API: custom contact fields', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;
  const contacts: Record<string, string> = {};
  let otherContactId: string;

  const api = () => request(harness.app);
  const fieldEvents = async () =>
    (await harness.database.prisma.outboxEvent.findMany({ where: { topic: Topics.contactsFields }, orderBy: { id: 'asc' } })).map((row) =>
      ContactFieldChanged.parse(row.payload as unknown as DomainEvent),
    );
  const defineField = (tenant: SignedInTenant, body: object) => api().post('/api/contact-fields').set('authorization', tenant.bearer).send(body);
  const putValues = (tenant: SignedInTenant, contactId: string, values: object) =>
    api().put(`/api/contacts/${contactId}/fields`).set('authorization', tenant.bearer).send({ values });
  const listContacts = async (query: Record<string, string>, tenant = owner) =>
    contactPageSchema.parse((await api().get('/api/contacts').query(query).set('authorization', tenant.bearer).expect(200)).body);

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
    const { prisma } = harness.database;
    for (const [name, phone] of [
      ['Ana', '+34600000001'],
      ['Bruno', '+34600000002'],
      ['Carla', '+34600000003'],
    ] as const) {
      contacts[name] = (await prisma.contact.create({ data: { businessId: owner.businessId, name, phone } })).id;
    }
    otherContactId = (await prisma.contact.create({ data: { businessId: other.businessId, name: 'Other', phone: '+34600000009' } })).id;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('defines fields of each type, refuses bad definitions with a 400 and a taken key with a 409', async () => {
    const city = contactFieldViewSchema.parse(
      (await defineField(owner, { key: 'city', label: 'City', type: 'TEXT', description: 'Where the customer lives' }).expect(201)).body,
    );
    expect(city).toMatchObject({ key: 'city', type: 'TEXT', options: [], position: 0 });
    await defineField(owner, { key: 'size', label: 'Size', type: 'ENUM', options: [' S ', 'M', 'Large'] }).expect(201);
    await defineField(owner, { key: 'shoe_size', label: 'Shoe size', type: 'NUMBER' }).expect(201);
    await defineField(owner, { key: 'birthday', label: 'Birthday', type: 'DATE' }).expect(201);

    const list = contactFieldListSchema.parse((await api().get('/api/contact-fields').set('authorization', owner.bearer).expect(200)).body);
    expect(list.items.map((field) => [field.key, field.position])).toEqual([
      ['city', 0],
      ['size', 1],
      ['shoe_size', 2],
      ['birthday', 3],
    ]);
    expect(list.items[1]!.options).toEqual(['S', 'M', 'Large']);

    const badKey = expectError((await defineField(owner, { key: 'Shoe-Size', label: 'x', type: 'TEXT' }).expect(400)).body, 'VALIDATION_FAILED');
    expect(badKey.details).toEqual([{ path: 'body.key', message: expect.stringContaining('lower snake case') }]);
    expectError((await defineField(owner, { key: 'colour', label: 'Colour', type: 'ENUM', options: [] }).expect(400)).body, 'VALIDATION_FAILED');
    expectError(
      (await defineField(owner, { key: 'colour', label: 'Colour', type: 'ENUM', options: ['Red', 'red'] }).expect(400)).body,
      'VALIDATION_FAILED',
    );
    expectError((await defineField(owner, { key: 'colour', label: 'Colour', type: 'TEXT', options: ['Red'] }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await defineField(owner, { key: 'colour', label: 'Colour', type: 'COLOUR' }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await defineField(owner, { key: 'city', label: 'Town', type: 'TEXT' }).expect(409)).body, 'CONFLICT');
    // Another business may use the same key; it does not see the first one's fields.
    await defineField(other, { key: 'city', label: 'Ciudad', type: 'TEXT' }).expect(201);
    const others = contactFieldListSchema.parse((await api().get('/api/contact-fields').set('authorization', other.bearer).expect(200)).body);
    expect(others.items.map((field) => field.label)).toEqual(['Ciudad']);
  });

  it('stores typed values set by an operator, refuses invalid ones without saving anything, and publishes each change once', async () => {
    const eventsBefore = (await fieldEvents()).length;
    const invalid = await putValues(owner, contacts['Ana']!, {
      city: 'Madrid',
      size: 'XL',
      shoe_size: '1.234,5',
      birthday: '2026-02-30',
      nope: 'x',
    }).expect(400);
    expect(expectError(invalid.body, 'VALIDATION_FAILED').details).toEqual([
      { path: 'body.values.size', message: 'must be one of: S, M, Large' },
      { path: 'body.values.shoe_size', message: expect.stringContaining('must be a number') },
      { path: 'body.values.birthday', message: 'must be a date written YYYY-MM-DD' },
      { path: 'body.values.nope', message: 'no contact field has this key' },
    ]);
    await expect(harness.database.prisma.contactFieldValue.count({ where: { contactId: contacts['Ana']! } })).resolves.toBe(0);

    const saved = contactFieldValuesSchema.parse(
      (await putValues(owner, contacts['Ana']!, { city: '  Madrid ', size: 'large', shoe_size: '38,5', birthday: '1990-05-17' }).expect(200)).body,
    );
    expect(saved.items.map((item) => [item.key, item.value, item.setBy, item.setByUserId])).toEqual([
      ['city', 'Madrid', 'OPERATOR', owner.userId],
      ['size', 'Large', 'OPERATOR', owner.userId],
      ['shoe_size', 38.5, 'OPERATOR', owner.userId],
      ['birthday', '1990-05-17', 'OPERATOR', owner.userId],
    ]);
    const row = await harness.database.prisma.contactFieldValue.findFirstOrThrow({
      where: { contactId: contacts['Ana']!, numberValue: { not: null } },
    });
    expect(row).toMatchObject({ numberValue: 38.5, textValue: null, dateValue: null });

    // The same values again: nothing changes and nothing is published (a double-clicked save).
    await putValues(owner, contacts['Ana']!, { city: 'Madrid', size: 'Large', shoe_size: 38.5 }).expect(200);
    const events = (await fieldEvents()).slice(eventsBefore);
    expect(events.map((event) => [event.data.fieldKey, event.data.value])).toEqual([
      ['city', 'Madrid'],
      ['size', 'Large'],
      ['shoe_size', 38.5],
      ['birthday', '1990-05-17'],
    ]);
    expect(events[0]!.data).toMatchObject({ businessId: owner.businessId, contactId: contacts['Ana'], setBy: 'OPERATOR', setByUserId: owner.userId });

    // null clears a value.
    const cleared = contactFieldValuesSchema.parse((await putValues(owner, contacts['Ana']!, { birthday: null }).expect(200)).body);
    expect(cleared.items.find((item) => item.key === 'birthday')).toMatchObject({ value: null, setBy: null, updatedAt: null });
    expect((await fieldEvents()).at(-1)!.data).toMatchObject({ fieldKey: 'birthday', value: null });
    const fetched = contactFieldValuesSchema.parse(
      (await api().get(`/api/contacts/${contacts['Ana']}/fields`).set('authorization', owner.bearer).expect(200)).body,
    );
    expect(fetched.items.map((item) => item.value)).toEqual(['Madrid', 'Large', 38.5, null]);
    expectError((await putValues(owner, contacts['Ana']!, {}).expect(400)).body, 'VALIDATION_FAILED');
  });

  it('keeps every business to its own contacts and fields', async () => {
    expectError((await api().get(`/api/contacts/${otherContactId}/fields`).set('authorization', owner.bearer).expect(404)).body, 'NOT_FOUND');
    expectError((await putValues(owner, otherContactId, { city: 'Madrid' }).expect(404)).body, 'NOT_FOUND');
    // The other business's own `city` field is not the owner's: its value is stored against its field only.
    await putValues(other, otherContactId, { city: 'Madrid', size: 'M' }).expect(400);
    await putValues(other, otherContactId, { city: 'Madrid' }).expect(200);
    expect((await listContacts({ 'field.city': 'madrid' })).items.map((item) => item.name)).toEqual(['Ana']);
    expect((await listContacts({}, other)).items.map((item) => [item.name, item.fields])).toEqual([['Other', { city: 'Madrid' }]]);
    const fieldId = (await harness.database.prisma.contactField.findFirstOrThrow({ where: { businessId: owner.businessId, key: 'city' } })).id;
    await api().patch(`/api/contact-fields/${fieldId}`).set('authorization', other.bearer).send({ label: 'Hijacked' }).expect(404);
    await api().delete(`/api/contact-fields/${fieldId}`).set('authorization', other.bearer).expect(404);
    expect(await harness.database.prisma.contactField.findUniqueOrThrow({ where: { id: fieldId } })).toMatchObject({ label: 'City' });
  });

  it('filters the contacts list by field: text contains, number, date and enum exact', async () => {
    await putValues(owner, contacts['Bruno']!, { city: 'Madrid Centro', size: 'M', shoe_size: 42, birthday: '1985-01-02' }).expect(200);
    await putValues(owner, contacts['Carla']!, { city: 'Sevilla', size: 'S', shoe_size: '38.5' }).expect(200);
    const names = async (query: Record<string, string>) => (await listContacts(query)).items.map((item) => item.name).sort();

    expect(await names({})).toEqual(['Ana', 'Bruno', 'Carla']);
    expect(await names({ 'field.city': 'MADRID' })).toEqual(['Ana', 'Bruno']);
    expect(await names({ 'field.city': '%' })).toEqual([]);
    expect(await names({ 'field.city': 'Madrid_' })).toEqual([]);
    expect(await names({ 'field.shoe_size': '38,5' })).toEqual(['Ana', 'Carla']);
    expect(await names({ 'field.size': 'm' })).toEqual(['Bruno']);
    expect(await names({ 'field.birthday': '1985-01-02' })).toEqual(['Bruno']);
    expect(await names({ 'field.city': 'madrid', 'field.shoe_size': '42' })).toEqual(['Bruno']);
    expect(await names({ q: 'carl' })).toEqual(['Carla']);
    const bruno = (await listContacts({ 'field.size': 'M' })).items[0]!;
    expect(bruno.fields).toEqual({ city: 'Madrid Centro', size: 'M', shoe_size: 42, birthday: '1985-01-02' });

    const bad = await api()
      .get('/api/contacts')
      .query({ 'field.size': 'XL', 'field.nope': 'x', 'field.birthday': '1985-1-2' })
      .set('authorization', owner.bearer)
      .expect(400);
    expect(expectError(bad.body, 'VALIDATION_FAILED').details).toEqual([
      { path: 'query.field.size', message: 'must be one of: S, M, Large' },
      { path: 'query.field.nope', message: 'no contact field has this key' },
      { path: 'query.field.birthday', message: 'must be a date written YYYY-MM-DD' },
    ]);

    const first = await listContacts({ limit: '2' });
    const second = await listContacts({ limit: '2', cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((item) => item.name).sort()).toEqual(['Ana', 'Bruno', 'Carla']);
    expect(second.nextCursor).toBeNull();
  });

  it('exports the matching contacts as CSV with a BOM, escaping, and formula cells defused', async () => {
    await harness.database.prisma.contact.update({
      where: { id: contacts['Carla']! },
      data: { name: '=HYPERLINK("http://evil.test","Carla, \'la\' grande")' },
    });
    const response = await api()
      .get('/api/contacts/export.csv')
      .set('authorization', owner.bearer)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', 'text/csv; charset=utf-8')
      .expect('content-disposition', /^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = response.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('id,name,phone,whatsapp_id,created_at,city,size,shoe_size,birthday');
    expect(lines.at(-1)).toBe('');
    const byId = (name: string) => lines.find((line) => line.startsWith(contacts[name]!))!;
    expect(byId('Ana')).toMatch(/^[0-9a-f-]{36},Ana,\+34600000001,,\d{4}-\d\d-\d\dT[^,]+,Madrid,Large,38\.5,$/);
    expect(byId('Bruno')).toContain(',Madrid Centro,M,42,1985-01-02');
    expect(byId('Carla')).toContain(`,"'=HYPERLINK(""http://evil.test"",""Carla, 'la' grande"")",+34600000003,`);
    expect(lines).toHaveLength(5);
    expect(lines.join('\n')).not.toContain('Other');

    const filtered = await api().get('/api/contacts/export.csv').query({ 'field.city': 'centro' }).set('authorization', owner.bearer).expect(200);
    expect(filtered.text.split('\r\n').filter(Boolean)).toHaveLength(2);
    expectError(
      (await api().get('/api/contacts/export.csv').query({ 'field.nope': 'x' }).set('authorization', owner.bearer).expect(400)).body,
      'VALIDATION_FAILED',
    );
    await api().get('/api/contacts/export.csv').expect(401);
  });

  it('streams an export larger than one page, every contact once', async () => {
    await harness.database.prisma.contact.createMany({
      data: Array.from({ length: 1_100 }, (_, index) => ({
        businessId: other.businessId,
        name: `Bulk ${index}`,
        phone: `+3461${String(index).padStart(7, '0')}`,
      })),
    });
    const response = await api().get('/api/contacts/export.csv').set('authorization', other.bearer).expect(200);
    const rows = response.text.split('\r\n').slice(1, -1);
    expect(rows).toHaveLength(1_101);
    expect(new Set(rows.map((row) => row.slice(0, 36))).size).toBe(1_101);
  });

  it('renames enum options (stored values follow), refuses removing one in use, and deleting a field deletes its values', async () => {
    const size = (await harness.database.prisma.contactField.findFirstOrThrow({ where: { businessId: owner.businessId, key: 'size' } })).id;
    const refused = await api()
      .patch(`/api/contact-fields/${size}`)
      .set('authorization', owner.bearer)
      .send({ options: ['S', 'Large'] })
      .expect(409);
    expect(expectError(refused.body, 'CONFLICT').details).toEqual({ reason: 'option_in_use', options: ['M'] });
    const renamed = await api()
      .patch(`/api/contact-fields/${size}`)
      .set('authorization', owner.bearer)
      .send({ options: ['S', 'M', 'LARGE', 'XL'], label: 'T-shirt size', description: 'Ask only when ordering shirts' })
      .expect(200);
    expect(renamed.body).toMatchObject({ label: 'T-shirt size', options: ['S', 'M', 'LARGE', 'XL'], key: 'size', type: 'ENUM' });
    expect((await listContacts({ 'field.size': 'large' })).items.map((item) => [item.name, item.fields['size']])).toEqual([['Ana', 'LARGE']]);

    await api().delete(`/api/contact-fields/${size}`).set('authorization', owner.bearer).expect(204);
    await expect(harness.database.prisma.contactFieldValue.count({ where: { fieldId: size } })).resolves.toBe(0);
    await api().delete(`/api/contact-fields/${size}`).set('authorization', owner.bearer).expect(404);
    const ana = contactFieldValuesSchema.parse(
      (await api().get(`/api/contacts/${contacts['Ana']}/fields`).set('authorization', owner.bearer).expect(200)).body,
    );
    expect(ana.items.map((item) => item.key)).toEqual(['city', 'shoe_size', 'birthday']);
  });
  it('lets an agent (operator) fill values but not change the definitions', async () => {
    const agentBearer = `Bearer ${
      createAccessTokenIssuer({ secret: harness.config.JWT_SECRET!, ttlSeconds: 300, now: () => harness.clock.now() }).issue({
        businessId: owner.businessId,
        userId: owner.userId,
        role: 'AGENT',
      }).accessToken
    }`;
    const city = (await harness.database.prisma.contactField.findFirstOrThrow({ where: { businessId: owner.businessId, key: 'city' } })).id;
    expectError(
      (await api().post('/api/contact-fields').set('authorization', agentBearer).send({ key: 'vip', label: 'VIP', type: 'TEXT' }).expect(403)).body,
      'FORBIDDEN',
    );
    expectError(
      (await api().patch(`/api/contact-fields/${city}`).set('authorization', agentBearer).send({ label: 'Town' }).expect(403)).body,
      'FORBIDDEN',
    );
    expectError((await api().delete(`/api/contact-fields/${city}`).set('authorization', agentBearer).expect(403)).body, 'FORBIDDEN');
    await api().get('/api/contact-fields').set('authorization', agentBearer).expect(200);
    await api()
      .put(`/api/contacts/${contacts['Carla']}/fields`)
      .set('authorization', agentBearer)
      .send({ values: { city: 'Cádiz' } })
      .expect(200);
  });
});
