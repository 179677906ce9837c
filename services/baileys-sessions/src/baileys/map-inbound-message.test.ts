import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageContentSchema } from '@app/domain';
import { BufferJSON, proto, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { mapInboundMessage, timestampOf } from './map-inbound-message.ts';
import { mapMessageContent } from './map-message-content.ts';

const fixtures = new URL('../../../../packages/testkit/fixtures/baileys/', import.meta.url).pathname;
const receivedAt = new Date('2026-02-01T00:00:00Z');

function loadUpsert(name: string): { type: string; messages: WAMessage[] } {
  return JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8'), BufferJSON.reviver);
}

const names = readdirSync(fixtures)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
  .map((file) => file.replace(/\.json$/, ''));

describe('mapInboundMessage golden fixtures (packages/testkit/fixtures/baileys)', () => {
  it('has fixtures for every inbound kind', () => {
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  it.each(names)('%s', (name) => {
    const upsert = loadUpsert(name);
    const results = upsert.messages.map((message) => mapInboundMessage(message, { receivedAt }));
    for (const result of results) {
      if (result.type === 'message') expect(messageContentSchema.parse(result.item.content)).toEqual(result.item.content);
      if (result.type === 'change' && result.item.change.type === 'edit') {
        expect(messageContentSchema.parse(result.item.change.content)).toEqual(result.item.change.content);
      }
    }
    const expectedPath = join(fixtures, `${name}.expected.json`);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(expectedPath, `${JSON.stringify(results, null, 2)}\n`);
    expect(results).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
  });

  it.each(names)('%s: the message survives a protobuf round trip through Baileys’ own proto.Message', (name) => {
    // Field names that proto.Message does not know would be dropped by encode: the mapping would then differ.
    for (const message of loadUpsert(name).messages) {
      if (!message.message) continue;
      const decoded = proto.Message.decode(proto.Message.encode(proto.Message.create(message.message)).finish());
      expect(mapMessageContent(decoded)).toEqual(mapMessageContent(message.message));
    }
  });
});

describe('mapInboundMessage rules', () => {
  it('ignores groups by default and maps the participant (LID + phone alternate) when groups are allowed', () => {
    const [message] = loadUpsert('group').messages;
    expect(mapInboundMessage(message!)).toEqual({ type: 'ignored', reason: 'group' });
    const result = mapInboundMessage(message!, { allowGroups: true });
    expect(result).toMatchObject({
      type: 'message',
      item: {
        groupJid: '120363025246125888@g.us',
        chatJid: '120363025246125888@g.us',
        sender: { phone: '5511955554444', lid: '987654321098765', name: 'Davi' },
      },
    });
  });

  it('keeps a LID-only sender (no phone known) instead of dropping the message', () => {
    const [message] = loadUpsert('text-lid-only-sender').messages;
    expect(mapInboundMessage(message!)).toMatchObject({ type: 'message', item: { sender: { phone: null, lid: '123456789012345', name: null } } });
  });

  it('strips the device suffix from a JID', () => {
    const [message] = loadUpsert('text').messages;
    const withDevice = { ...message!, key: { ...message!.key, remoteJid: '5511999990001:17@s.whatsapp.net', remoteJidAlt: undefined } };
    expect(mapInboundMessage(withDevice)).toMatchObject({ item: { sender: { phone: '5511999990001', lid: null } } });
  });

  it('reads timestamps given as numbers, strings and protobuf Longs, and falls back when absent', () => {
    expect(timestampOf(1767225600).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(timestampOf('1767225600').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(timestampOf({ low: 1767225600, high: 0, unsigned: true }).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(timestampOf(null, receivedAt)).toBe(receivedAt);
  });
});
