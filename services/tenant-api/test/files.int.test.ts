import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileObjectStore } from '@app/runtime/local';
import type { ObjectStore } from '@app/runtime/ports';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
/** The start of a Windows executable (MZ … PE). */
const exe = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(48), Buffer.from('PE\0\0')]);

describe('tenant API: files library', () => {
  let harness: TenantApiHarness;
  let objectStore: ObjectStore;
  let directory: string;
  let owner: SignedInTenant;
  let other: SignedInTenant;
  const maxBytes = 64 * 1024;

  const api = () => request(harness.app);
  const upload = (tenant: SignedInTenant, file: Buffer, filename: string, fields: Record<string, string> = {}, contentType?: string) => {
    let call = api().post('/api/files').set('authorization', tenant.bearer);
    for (const [name, value] of Object.entries(fields)) call = call.field(name, value);
    return call.attach('file', file, contentType ? { filename, contentType } : filename);
  };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tenant-api-files-'));
    objectStore = createFileObjectStore(directory);
    harness = await startTenantApiHarness({ FILES_MAX_BYTES: String(maxBytes) }, { objectStore });
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
  });
  afterAll(async () => {
    await harness?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('stores an upload under the business prefix with its metadata, and lists it', async () => {
    const response = await upload(owner, pdf, 'Lista de precios.pdf', {
      title: 'Lista de precios',
      triggerKeywords: 'precio, precios ,tarifa',
      triggerContext: 'Cuando pregunten por precios',
      order: '2',
    }).expect(201);
    expect(response.body).toMatchObject({
      title: 'Lista de precios',
      filename: 'Lista de precios.pdf',
      mimeType: 'application/pdf',
      kind: 'document',
      sizeBytes: pdf.length,
      triggerKeywords: ['precio', 'precios', 'tarifa'],
      triggerContext: 'Cuando pregunten por precios',
      order: 2,
      active: true,
    });
    const row = await harness.database.prisma.agentFile.findUniqueOrThrow({ where: { id: response.body.id } });
    expect(row.objectKey).toBe(`files/${owner.businessId}/${row.id}.pdf`);
    expect((await objectStore.get(row.objectKey))?.body.equals(pdf)).toBe(true);

    const list = await api().get('/api/files').set('authorization', owner.bearer).expect(200);
    expect(list.body.files.map((file: { title: string }) => file.title)).toContain('Lista de precios');
  });

  it('sniffs the type from the bytes: a PDF named .jpg and sent as image/jpeg is a PDF document', async () => {
    const response = await upload(owner, pdf, 'photo.jpg', {}, 'image/jpeg').expect(201);
    expect(response.body).toMatchObject({ title: 'photo', mimeType: 'application/pdf', kind: 'document' });
    const row = await harness.database.prisma.agentFile.findUniqueOrThrow({ where: { id: response.body.id } });
    expect(row.objectKey.endsWith('.pdf')).toBe(true);
  });

  it('takes images, and CSV by its name since text has no signature', async () => {
    expect((await upload(owner, png, 'logo.png').expect(201)).body).toMatchObject({ kind: 'image', mimeType: 'image/png' });
    expect((await upload(owner, Buffer.from('sku,price\nA1,10\n'), 'precios.csv').expect(201)).body).toMatchObject({
      kind: 'document',
      mimeType: 'text/csv',
    });
  });

  it('refuses an executable with 415 whatever it claims, and stores nothing', async () => {
    const before = await harness.database.prisma.agentFile.count();
    const response = await upload(owner, exe, 'catalog.pdf', { title: 'Evil' }, 'application/pdf').expect(415);
    expectError(response.body, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await harness.database.prisma.agentFile.count()).toBe(before);
  });

  it('refuses HTML sent as text with 415', async () => {
    const response = await upload(owner, Buffer.from('<html><script>alert(1)</script></html>'), 'notes.txt', {}, 'text/plain').expect(415);
    expectError(response.body, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a file above FILES_MAX_BYTES with 413 and stores nothing', async () => {
    const before = await harness.database.prisma.agentFile.count();
    const big = Buffer.concat([pdf, Buffer.alloc(maxBytes + 1, 0x20)]);
    const response = await upload(owner, big, 'big.pdf', { title: 'Big' }).expect(413);
    expectError(response.body, 'PAYLOAD_TOO_LARGE');
    expect(await harness.database.prisma.agentFile.count()).toBe(before);
  });

  it('answers 400 without a file, for a JSON body, for invalid fields, and 409 for a title taken', async () => {
    expectError((await api().post('/api/files').set('authorization', owner.bearer).field('title', 'x').expect(400)).body, 'VALIDATION_FAILED');
    expectError((await api().post('/api/files').set('authorization', owner.bearer).send({ title: 'x' }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await upload(owner, pdf, 'a.pdf', { order: '-1' }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await upload(owner, pdf, 'a.pdf', { title: 'with [[brackets]]' }).expect(400)).body, 'VALIDATION_FAILED');
    expectError((await upload(owner, pdf, 'a.pdf', { colour: 'red' }).expect(400)).body, 'VALIDATION_FAILED');
    const conflict = await upload(owner, pdf, 'again.pdf', { title: 'Lista de precios' }).expect(409);
    expect(expectError(conflict.body, 'CONFLICT').details).toMatchObject({ reason: 'title_taken' });
  });

  it('updates metadata, refuses bad input without changing anything', async () => {
    const created = (await upload(owner, pdf, 'menu.pdf', { title: 'Menu' }).expect(201)).body;
    const updated = await api()
      .patch(`/api/files/${created.id}`)
      .set('authorization', owner.bearer)
      .send({ title: 'Menú del día', triggerKeywords: ['menú'], triggerContext: 'Si piden la carta', order: 1, active: false })
      .expect(200);
    expect(updated.body).toMatchObject({ title: 'Menú del día', triggerKeywords: ['menú'], order: 1, active: false });

    expectError(
      (await api().patch(`/api/files/${created.id}`).set('authorization', owner.bearer).send({ order: 'first' }).expect(400)).body,
      'VALIDATION_FAILED',
    );
    expectError(
      (await api().patch(`/api/files/${created.id}`).set('authorization', owner.bearer).send({ title: 'Lista de precios' }).expect(409)).body,
      'CONFLICT',
    );
    const after = await api().get(`/api/files/${created.id}`).set('authorization', owner.bearer).expect(200);
    expect(after.body).toMatchObject({ title: 'Menú del día', order: 1 });
  });

  it('serves the bytes with safe headers', async () => {
    const created = (await upload(owner, pdf, 'carta.pdf', { title: 'Carta' }).expect(201)).body;
    const response = await api().get(`/api/files/${created.id}/content`).set('authorization', owner.bearer).responseType('blob').expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="carta.pdf"');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect((response.body as Buffer).equals(pdf)).toBe(true);
  });

  it('deletes the row and the object', async () => {
    const created = (await upload(owner, pdf, 'temp.pdf', { title: 'Temporal' }).expect(201)).body;
    const { objectKey } = await harness.database.prisma.agentFile.findUniqueOrThrow({ where: { id: created.id } });
    await api().delete(`/api/files/${created.id}`).set('authorization', owner.bearer).expect(204);
    expect(await objectStore.get(objectKey)).toBeNull();
    await api().get(`/api/files/${created.id}`).set('authorization', owner.bearer).expect(404);
    await api().delete(`/api/files/${created.id}`).set('authorization', owner.bearer).expect(404);
  });

  it("never shows, changes, serves or deletes another business's file", async () => {
    const mine = (await upload(owner, pdf, 'privado.pdf', { title: 'Privado' }).expect(201)).body;
    const list = await api().get('/api/files').set('authorization', other.bearer).expect(200);
    expect(list.body.files).toEqual([]);
    for (const call of [
      api().get(`/api/files/${mine.id}`),
      api().get(`/api/files/${mine.id}/content`),
      api().patch(`/api/files/${mine.id}`).send({ title: 'Mío' }),
      api().delete(`/api/files/${mine.id}`),
    ]) {
      expectError((await call.set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
    }
    // The same title is free in another business.
    await upload(other, pdf, 'privado.pdf', { title: 'Privado' }).expect(201);
    const still = await api().get(`/api/files/${mine.id}`).set('authorization', owner.bearer).expect(200);
    expect(still.body.title).toBe('Privado');
  });

  it('requires a signed-in user', async () => {
    await api().get('/api/files').expect(401);
    await api().post('/api/files').attach('file', pdf, 'a.pdf').expect(401);
  });
});
