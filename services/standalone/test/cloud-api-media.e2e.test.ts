import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metaMediaMessageWebhook, postSignedMetaWebhook } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEventually, metaAppSecret, onboardTenant, startTestPlatform, type TestPlatform, type TestTenant } from './platform-harness.ts';

const phoneNumberId = '106540352242999';
const accessToken = 'EAAG-standalone-media-token';

describe('a customer sending a photo to a Cloud API number (standalone, real PostgreSQL, DATA_DIR objects)', () => {
  let test: TestPlatform;
  let tenant: TestTenant;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'standalone-media-'));
    test = await startTestPlatform({ DATA_DIR: dataDir });
    tenant = await onboardTenant(test.platform.url, test.doubles.smtp, 'owner@photos.example');
    test.doubles.graph.addPhoneNumber(phoneNumberId, accessToken);
    const instance = await tenant.api('POST', '/api/instances', {
      provider: 'META',
      name: 'Photos',
      phoneNumberId,
      wabaId: '102290129340398',
      accessToken,
    });
    expect(instance.status).toBe(201);
  });

  afterAll(async () => {
    await test?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('downloads the photo through the Graph API into the object store, and the console route serves its bytes', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    test.doubles.graph.addMedia({ id: '3141592653589793', bytes: png, mimeType: 'image/png', phoneNumberId });
    const webhook = metaMediaMessageWebhook({
      phoneNumberId,
      type: 'image',
      media: { id: '3141592653589793', mime_type: 'image/png', caption: 'this one?' },
    });
    expect((await postSignedMetaWebhook({ url: `${test.platform.url}/webhooks/meta`, appSecret: metaAppSecret, payload: webhook })).status).toBe(200);

    const message = await test.platform.database.prisma.message.findFirstOrThrow({ where: { kind: 'image', businessId: tenant.businessId } });
    await expectEventually(async () => {
      const response = await fetch(`${test.platform.url}/api/messages/${message.id}/media`, {
        headers: { authorization: `Bearer ${tenant.accessToken}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), png)).toBe(0);
    });
  });
});
