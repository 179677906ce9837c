import { MediaDownloadError } from '@app/domain';
import { createHash } from 'node:crypto';
import { startGraphApiServer, type GraphApiServer } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphApiError } from '../egress/graph-api-client.ts';
import { createGraphMediaClient } from './graph-media-client.ts';

const phoneNumberId = '106540352242922';
const accessToken = 'EAAG-media-token';
const bytes = Buffer.from('\xff\xd8\xff\xe0 a small jpeg', 'latin1');
let graph: GraphApiServer;

beforeAll(async () => {
  graph = await startGraphApiServer({ phoneNumbers: { [phoneNumberId]: accessToken, '200000000000001': 'EAAG-other-token' } });
  graph.addMedia({ id: '1908647269898587', bytes, mimeType: 'image/jpeg', phoneNumberId });
});
afterAll(async () => {
  await graph?.close();
});

const client = () => createGraphMediaClient({ graphUrl: graph.url });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('the Graph media client against the Graph API double', () => {
  it('looks up a fresh URL with the file metadata, then downloads the bytes with the same Bearer token', async () => {
    const info = await client().lookupMedia({ mediaId: '1908647269898587', phoneNumberId, accessToken });
    expect(info).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/media-download\/1908647269898587\?hash=/),
      mimeType: 'image/jpeg',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      fileSize: bytes.length,
    });
    expect(graph.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v24.0/1908647269898587', authorization: `Bearer ${accessToken}` });
    expect(await client().downloadMedia({ url: info.url, accessToken, maxBytes: 1_000 })).toEqual(bytes);
    expect(graph.requests.at(-1)).toMatchObject({ path: '/media-download/1908647269898587', authorization: `Bearer ${accessToken}`, status: 200 });
  });

  it('answers the envelope of code 100 for an unknown media id or another number’s, and 190 for a wrong token', async () => {
    const unknown = await failure(client().lookupMedia({ mediaId: '42', phoneNumberId, accessToken }));
    expect(unknown).toBeInstanceOf(GraphApiError);
    expect(unknown).toMatchObject({ parsed: { metaCode: 100, httpStatus: 400, retry: 'none' } });
    const otherNumber = await failure(
      client().lookupMedia({ mediaId: '1908647269898587', phoneNumberId: '200000000000001', accessToken: 'EAAG-other-token' }),
    );
    expect(otherNumber).toMatchObject({ parsed: { metaCode: 100 } });
    const wrongToken = await failure(client().lookupMedia({ mediaId: '1908647269898587', phoneNumberId, accessToken: 'EAAG-stale' }));
    expect(wrongToken).toMatchObject({ parsed: { metaCode: 190, code: 'META_AUTH_FAILED' } });
  });

  it('refuses a URL after its time is up, a download without a token, and more bytes than allowed', async () => {
    const { url } = await client().lookupMedia({ mediaId: '1908647269898587', phoneNumberId, accessToken });
    expect((await fetch(url)).status).toBe(401);
    const tooLarge = await failure(client().downloadMedia({ url, accessToken, maxBytes: 4 }));
    expect(tooLarge).toBeInstanceOf(MediaDownloadError);
    expect(tooLarge).toMatchObject({ code: 'MEDIA_TOO_LARGE', permanent: true });
    graph.expireMediaUrls();
    const expired = await failure(client().downloadMedia({ url, accessToken, maxBytes: 1_000 }));
    expect(expired).toMatchObject({ parsed: { httpStatus: 404 } });
  });

  it('fails the lookup or the download as injected, then answers normally again', async () => {
    graph.injectMediaFailure({ mediaId: '1908647269898587', httpStatus: 502 });
    expect(await failure(client().lookupMedia({ mediaId: '1908647269898587', phoneNumberId, accessToken }))).toMatchObject({
      parsed: { httpStatus: 502, retry: 'backoff' },
    });
    graph.injectMediaFailure({ mediaId: '1908647269898587', stage: 'download', code: 131016 });
    const { url } = await client().lookupMedia({ mediaId: '1908647269898587', phoneNumberId, accessToken });
    expect(await failure(client().downloadMedia({ url, accessToken, maxBytes: 1_000 }))).toMatchObject({
      parsed: { metaCode: 131016, httpStatus: 503 },
    });
    expect(await client().downloadMedia({ url, accessToken, maxBytes: 1_000 })).toEqual(bytes);
  });
});
