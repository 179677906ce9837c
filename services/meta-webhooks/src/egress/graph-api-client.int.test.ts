import { startGraphApiServer, type GraphApiServer } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSendBody, createGraphApiClient, GraphApiError } from './graph-api-client.ts';
import { toGraphMessage } from './outbound-content.ts';

const phoneNumberId = '106540352242922';
const accessToken = 'EAAG-test-token';
let graph: GraphApiServer;

beforeAll(async () => {
  graph = await startGraphApiServer({ phoneNumbers: { [phoneNumberId]: accessToken } });
});
afterAll(async () => {
  await graph?.close();
});

describe('createGraphApiClient against the Graph API double', () => {
  const client = () => createGraphApiClient({ graphUrl: graph.url });

  it('sends text and returns the wamid', async () => {
    const result = await client().sendMessage({ phoneNumberId, accessToken, to: '+16505551234', message: { type: 'text', text: 'Hola 👋' } });
    expect(result.providerMessageId).toMatch(/^wamid\./);
    expect(result.waId).toBe('16505551234');
    expect(graph.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v24.0/${phoneNumberId}/messages`,
      authorization: `Bearer ${accessToken}`,
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+16505551234',
        type: 'text',
        text: { body: 'Hola 👋', preview_url: false },
      },
    });
  });

  it('sends media by link with caption and filename, and a voice note', async () => {
    await client().sendMessage({
      phoneNumberId,
      accessToken,
      to: '16505551234',
      message: { type: 'document', link: 'https://example.com/invoice.pdf', caption: 'Invoice', filename: 'invoice.pdf' },
    });
    expect(graph.accepted.at(-1)?.body.document).toEqual({ link: 'https://example.com/invoice.pdf', caption: 'Invoice', filename: 'invoice.pdf' });
    await client().sendMessage({
      phoneNumberId,
      accessToken,
      to: '16505551234',
      message: { type: 'audio', mediaId: '1908647269898587', voice: true, caption: 'dropped' },
    });
    expect(graph.accepted.at(-1)?.body.audio).toEqual({ id: '1908647269898587', voice: true });
  });

  it('marks a message as read with a typing indicator', async () => {
    await client().markAsRead({ phoneNumberId, accessToken, messageId: 'wamid.customer-1', typingIndicator: true });
    expect(graph.readReceipts.at(-1)).toEqual({ phoneNumberId, messageId: 'wamid.customer-1' });
    expect(graph.requests.at(-1)?.body).toMatchObject({ status: 'read', typing_indicator: { type: 'text' } });
  });

  it('maps Meta errors: a wrong token, an unknown phone number id, an invalid body', async () => {
    const send = (overrides: { token?: string; phone?: string; text?: string }) =>
      client().sendMessage({
        phoneNumberId: overrides.phone ?? phoneNumberId,
        accessToken: overrides.token ?? accessToken,
        to: '1555',
        message: { type: 'text', text: overrides.text ?? 'x' },
      });
    await expect(send({ token: 'wrong' })).rejects.toMatchObject({ parsed: { code: 'META_AUTH_FAILED', metaCode: 190, flagInstance: true } });
    await expect(send({ phone: '999' })).rejects.toMatchObject({ parsed: { code: 'META_INVALID_REQUEST', metaCode: 100 } });
    await expect(send({ text: '' })).rejects.toBeInstanceOf(GraphApiError);
  });

  it('reports a refused connection as never sent', async () => {
    const closed = await startGraphApiServer();
    const url = closed.url;
    await closed.close();
    const error = await createGraphApiClient({ graphUrl: url })
      .sendMessage({ phoneNumberId, accessToken, to: '1555', message: { type: 'text', text: 'x' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error).toMatchObject({ requestMayHaveArrived: false, parsed: { code: 'META_UNREACHABLE', retry: 'backoff' } });
  });
});

describe('Graph API double media endpoints', () => {
  it('serves media metadata, the bytes behind a bearer token, and deletes', async () => {
    graph.addMedia({ id: '1908647269898587', bytes: Buffer.from('OggS-voice-note'), mimeType: 'audio/ogg; codecs=opus' });
    const headers = { authorization: `Bearer ${accessToken}` };
    const metadata = (await (await fetch(`${graph.url}/1908647269898587`, { headers })).json()) as {
      url: string;
      mime_type: string;
      file_size: string;
    };
    expect(metadata).toMatchObject({ messaging_product: 'whatsapp', mime_type: 'audio/ogg; codecs=opus', file_size: '15', id: '1908647269898587' });
    expect((await fetch(metadata.url)).status).toBe(401);
    expect(await (await fetch(metadata.url, { headers })).text()).toBe('OggS-voice-note');
    expect(await (await fetch(`${graph.url}/1908647269898587`, { method: 'DELETE', headers })).json()).toEqual({ success: true });
    expect((await fetch(`${graph.url}/1908647269898587`, { headers })).status).toBe(400);
  });
});

describe('buildSendBody and toGraphMessage', () => {
  it('needs a recipient and a media reference', () => {
    expect(() => buildSendBody({ message: { type: 'text', text: 'x' } })).toThrow(/to|recipient/);
    expect(() => buildSendBody({ to: '1', message: { type: 'image' } })).toThrow(/media id or a link/);
  });

  it('turns stored content into Graph messages and refuses what the Cloud API cannot send', () => {
    expect(toGraphMessage({ kind: 'text', text: 'Hi', content: { kind: 'text', text: 'Hi' } })).toEqual({ message: { type: 'text', text: 'Hi' } });
    expect(toGraphMessage({ kind: 'audio', text: null, content: { kind: 'audio', voice: true, media: { url: 'https://x/a.ogg' } } })).toEqual({
      message: { type: 'audio', link: 'https://x/a.ogg', voice: true },
    });
    expect(toGraphMessage({ kind: 'image', text: null, content: { kind: 'image', media: {} } })).toBeNull();
    expect(toGraphMessage({ kind: 'order', text: '[order]', content: { kind: 'order' } })).toBeNull();
  });
});
