import { existsSync, writeFileSync } from 'node:fs';
import { messageContentSchema } from '@app/domain';
import { metaFixtureNames, metaFixturesDirectory, readMetaFixture, readMetaFixtureRaw } from '@app/testkit/meta-graph';
import { describe, expect, it } from 'vitest';
import { normalizeMetaWebhook } from './normalize-webhook.ts';

// Golden files are (re)written only on purpose: UPDATE_GOLDEN=1 npx vitest run <this file>, then review the diff.
const updateGolden = process.env.UPDATE_GOLDEN === '1';

describe('normalizeMetaWebhook golden fixtures', () => {
  const names = metaFixtureNames();

  it('has a fixture for every documented inbound type and status', () => {
    const required = [
      'text',
      'text-reply-context',
      'text-referral',
      'text-non-ascii',
      'image',
      'audio-voice',
      'video',
      'document',
      'sticker',
      'location',
      'contacts',
      'interactive-button-reply',
      'interactive-list-reply',
      'interactive-nfm-reply',
      'button-template-quick-reply',
      'reaction',
      'reaction-removed',
      'order',
      'system-user-changed-number',
      'unsupported',
      'bsuid-only-sender',
      'status-sent',
      'status-delivered',
      'status-read',
      'status-played',
      'status-failed',
      'value-errors',
    ];
    expect(names).toEqual(expect.arrayContaining(required));
  });

  it.each(names)('%s', (name) => {
    const normalized = normalizeMetaWebhook(readMetaFixture(name));
    const expectedPath = `${metaFixturesDirectory}${name}.expected.json`;
    if (updateGolden || !existsSync(expectedPath)) {
      if (!updateGolden) throw new Error(`missing golden file ${expectedPath}; run with UPDATE_GOLDEN=1 and review it`);
      writeFileSync(expectedPath, `${JSON.stringify(normalized, null, 2)}\n`);
    }
    expect(JSON.parse(JSON.stringify(normalized))).toEqual(JSON.parse(readMetaFixtureRaw(`${name}.expected`)));
    for (const item of normalized.items) {
      if (item.type === 'message') expect(messageContentSchema.parse(item.content)).toEqual(item.content);
    }
  });
});

describe('normalizeMetaWebhook edge cases', () => {
  it('reports a body that is not a webhook envelope instead of throwing', () => {
    expect(normalizeMetaWebhook({ hello: 'world' }).problems).toHaveLength(1);
    expect(normalizeMetaWebhook(null).items).toEqual([]);
  });

  it('decodes Meta-escaped non-ASCII text exactly', () => {
    const [item] = normalizeMetaWebhook(readMetaFixture('text-non-ascii')).items;
    expect(item).toMatchObject({
      sender: { phone: '4915112345678', profileName: 'Jörg Åström' },
      content: { kind: 'text', text: 'äöå Café ¿mañana? مرحبا 👍🎉' },
    });
  });

  it('keeps both identifiers when the sender has a phone and a BSUID, and strips the plus', () => {
    const [item] = normalizeMetaWebhook(readMetaFixture('phone-and-bsuid-sender')).items;
    expect(item).toMatchObject({ sender: { phone: '16505551234', userId: 'US.13491208655302741918' } });
  });

  it('skips a malformed message and an unknown status but keeps the rest of the batch', () => {
    const result = normalizeMetaWebhook(readMetaFixture('batch-multiple-entries'));
    expect(result.items.map((item) => item.type)).toEqual(['message', 'message', 'status', 'message']);
    expect(result.problems.map((problem) => problem.path)).toEqual([
      'entry[0].changes[0].value.messages[2]',
      'entry[0].changes[1].value.statuses[1]',
    ]);
    expect(result.items.map((item) => item.phoneNumberId)).toEqual(['106540352242922', '106540352242922', '106540352242922', '106540352240000']);
  });

  it('rejects a timestamp that is not Unix seconds as a problem, not a crash', () => {
    const payload = readMetaFixture('text') as { entry: { changes: { value: { messages: { timestamp: string }[] } }[] }[] };
    payload.entry[0]!.changes[0]!.value.messages[0]!.timestamp = '2025-06-08T12:00:00Z';
    const result = normalizeMetaWebhook(payload);
    expect(result.items).toEqual([]);
    expect(result.problems[0]?.reason).toMatch(/Unix seconds/);
  });

  it('accepts a type Meta adds later as unsupported content', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: '42' },
                messages: [{ from: '1555', id: 'wamid.x', timestamp: '1700000000', type: 'request_welcome' }],
              },
            },
          ],
        },
      ],
    };
    expect(normalizeMetaWebhook(payload).items[0]).toMatchObject({ metaType: 'request_welcome', content: { kind: 'unsupported', errors: [] } });
  });
});
