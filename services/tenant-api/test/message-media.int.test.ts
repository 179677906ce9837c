import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Prisma } from '@app/db';
import { createFileObjectStore } from '@app/runtime/local';
import type { ObjectStore } from '@app/runtime/ports';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

describe('tenant API: GET /messages/:id/media', () => {
  let harness: TenantApiHarness;
  let objectStore: ObjectStore;
  let directory: string;
  let owner: SignedInTenant;
  let other: SignedInTenant;
  let instanceId: string;
  let counter = 0;

  const api = () => request(harness.app);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

  /** A customer message through the sandbox, then given the content a media provider would have stored. */
  async function messageWith(content: Prisma.InputJsonObject): Promise<string> {
    counter += 1;
    const sent = await api()
      .post(`/api/sandbox/${instanceId}/messages`)
      .set('authorization', owner.bearer)
      .send({ from: `+52155500009${String(counter).padStart(2, '0')}`, text: 'media' })
      .expect(202);
    await harness.database.prisma.message.update({ where: { id: sent.body.messageId }, data: { kind: String(content['kind']), content } });
    return sent.body.messageId as string;
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tenant-api-media-'));
    objectStore = createFileObjectStore(directory);
    harness = await startTenantApiHarness({}, { objectStore });
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
    instanceId = (await api().post('/api/instances').set('authorization', owner.bearer).send({ provider: 'SANDBOX', name: 'Sandbox' }).expect(201))
      .body.id;
  });
  afterAll(async () => {
    await harness?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('streams stored media with its content type, length and a private cache header', async () => {
    const key = `media/${owner.businessId}/${instanceId}/photo.jpg`;
    await objectStore.put(key, jpeg, 'image/jpeg');
    const messageId = await messageWith({
      kind: 'image',
      media: { mediaId: key, mimeType: 'image/jpeg', size: jpeg.length, download: { state: 'stored', attempts: 1 } },
    });

    const response = await api().get(`/api/messages/${messageId}/media`).set('authorization', owner.bearer).responseType('blob').expect(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(response.headers['content-length']).toBe(String(jpeg.length));
    expect(response.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(response.body as Buffer, jpeg)).toBe(0);
  });

  it('names a stored document as an attachment with its file name', async () => {
    const key = `media/${owner.businessId}/${instanceId}/menu.pdf`;
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    await objectStore.put(key, pdf, 'application/pdf');
    const messageId = await messageWith({
      kind: 'document',
      media: { mediaId: key, mimeType: 'application/pdf', filename: 'menu.pdf', download: { state: 'stored', attempts: 1 } },
    });

    const response = await api().get(`/api/messages/${messageId}/media`).set('authorization', owner.bearer).responseType('blob').expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="menu.pdf"');
    expect((response.body as Buffer).toString()).toBe(pdf.toString());
  });

  it('shows images in place, with nosniff and a sandbox CSP, and names everything else as a download', async () => {
    const key = `media/${owner.businessId}/${instanceId}/inline.jpg`;
    await objectStore.put(key, jpeg, 'image/jpeg');
    const messageId = await messageWith({
      kind: 'image',
      media: { mediaId: key, mimeType: 'image/jpeg', download: { state: 'stored', attempts: 1 } },
    });

    const response = await api().get(`/api/messages/${messageId}/media`).set('authorization', owner.bearer).responseType('blob').expect(200);
    expect(response.headers['content-disposition']).toBe(`inline; filename="media-${messageId}"`);
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['text/html', 'document', '<!doctype html><script>fetch("/api/auth/me")</script>'],
    ['image/svg+xml', 'image', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['application/xhtml+xml', 'document', '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'],
  ])('serves a row stored before sniffing with type %s as an application/octet-stream download', async (storedType, kind, markup) => {
    const key = `media/${owner.businessId}/${instanceId}/legacy-${counter}`;
    await objectStore.put(key, Buffer.from(markup), storedType);
    const messageId = await messageWith({
      kind,
      media: { mediaId: key, mimeType: storedType, filename: 'invoice.html', download: { state: 'stored', attempts: 1 } },
    });

    const response = await api().get(`/api/messages/${messageId}/media`).set('authorization', owner.bearer).responseType('blob').expect(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-disposition']).toBe('attachment; filename="invoice.html"');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  it("sanitizes a sender's file name: no path, no quotes or line breaks, non-ASCII kept in filename*", async () => {
    const key = `media/${owner.businessId}/${instanceId}/named.pdf`;
    await objectStore.put(key, Buffer.from('%PDF-1.4\n'), 'application/pdf');
    const evil = await messageWith({
      kind: 'document',
      media: {
        mediaId: key,
        mimeType: 'application/pdf',
        filename: '../../etc/x"\r\nSet-Cookie: a=b.pdf',
        download: { state: 'stored', attempts: 1 },
      },
    });
    const response = await api().get(`/api/messages/${evil}/media`).set('authorization', owner.bearer).responseType('blob').expect(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="xSet-Cookie a=b.pdf"');
    expect(response.headers['set-cookie']).toBeUndefined();

    const accented = await messageWith({
      kind: 'document',
      media: { mediaId: key, mimeType: 'application/pdf', filename: 'orçamento (1).pdf', download: { state: 'stored', attempts: 1 } },
    });
    const named = await api().get(`/api/messages/${accented}/media`).set('authorization', owner.bearer).responseType('blob').expect(200);
    expect(named.headers['content-disposition']).toBe(`attachment; filename="or_amento (1).pdf"; filename*=UTF-8''or%C3%A7amento%20%281%29.pdf`);
  });

  it("answers 404 for another business's message and for unknown ids, without leaking the bytes", async () => {
    const key = `media/${owner.businessId}/${instanceId}/secret.jpg`;
    await objectStore.put(key, jpeg, 'image/jpeg');
    const messageId = await messageWith({
      kind: 'image',
      media: { mediaId: key, mimeType: 'image/jpeg', download: { state: 'stored', attempts: 1 } },
    });

    expectError((await api().get(`/api/messages/${messageId}/media`).set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
    expectError(
      (await api().get('/api/messages/00000000-0000-4000-8000-000000000000/media').set('authorization', owner.bearer).expect(404)).body,
      'NOT_FOUND',
    );
    expectError((await api().get('/api/messages/not-a-uuid/media').set('authorization', owner.bearer).expect(404)).body, 'NOT_FOUND');
    expectError((await api().get(`/api/messages/${messageId}/media`).expect(401)).body, 'UNAUTHENTICATED');
  });

  it('explains a 404 when the media is not stored: metadata-only media, pending downloads, text messages, missing objects', async () => {
    const cloud = await messageWith({ kind: 'image', media: { mediaId: '1234567890', mimeType: 'image/jpeg' } });
    const cloudError = expectError(
      (await api().get(`/api/messages/${cloud}/media`).set('authorization', owner.bearer).expect(404)).body,
      'NOT_FOUND',
    );
    expect(cloudError.message).toMatch(/no object store was configured/);
    expect(cloudError.details).toEqual({ reason: 'media_not_stored', download: null });

    const pending = await messageWith({ kind: 'audio', voice: true, media: { mimeType: 'audio/ogg', download: { state: 'pending', attempts: 2 } } });
    const pendingError = expectError(
      (await api().get(`/api/messages/${pending}/media`).set('authorization', owner.bearer).expect(404)).body,
      'NOT_FOUND',
    );
    expect(pendingError.details).toEqual({ reason: 'media_not_stored', download: 'pending' });

    const text = await messageWith({ kind: 'text', text: 'hola' });
    expect(
      expectError((await api().get(`/api/messages/${text}/media`).set('authorization', owner.bearer).expect(404)).body, 'NOT_FOUND').details,
    ).toEqual({ reason: 'no_media' });

    const gone = await messageWith({
      kind: 'video',
      media: { mediaId: `media/${owner.businessId}/${instanceId}/gone.mp4`, download: { state: 'stored', attempts: 1 } },
    });
    expect(
      expectError((await api().get(`/api/messages/${gone}/media`).set('authorization', owner.bearer).expect(404)).body, 'NOT_FOUND').details,
    ).toEqual({ reason: 'media_missing' });
  });

  it('answers 503 when the deployment has no object store', async () => {
    const bare = await startTenantApiHarness();
    try {
      const tenant = await signUp(bare);
      const response = await request(bare.app)
        .get('/api/messages/00000000-0000-4000-8000-000000000000/media')
        .set('authorization', tenant.bearer)
        .expect(503);
      expectError(response.body, 'UNAVAILABLE');
    } finally {
      await bare.close();
    }
  });
});
