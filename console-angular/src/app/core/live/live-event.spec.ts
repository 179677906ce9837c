import { describe, expect, it } from 'vitest';
import { messageView } from '../../shared/testing/builders';
import { parseLiveEvent } from './live-event';

describe('parsing live events', () => {
  it('reads message, conversation and business events', () => {
    const message = messageView({ id: 'm1' });
    expect(parseLiveEvent('message.created', JSON.stringify({ conversationId: 'c1', message }))).toEqual({
      type: 'message.created',
      conversationId: 'c1',
      message,
    });
    expect(parseLiveEvent('business.updated', '{"botEnabled":false}')).toEqual({ type: 'business.updated', botEnabled: false });
    expect(parseLiveEvent('resync', '')).toEqual({ type: 'resync' });
    expect(parseLiveEvent('contact.fields-changed', '{"contactId":"k1","fieldKey":"city"}')).toEqual({
      type: 'contact.fields-changed',
      contactId: 'k1',
      fieldKey: 'city',
    });
    expect(parseLiveEvent('appointment.updated', '{"appointment":{"id":"a1"}}')).toEqual({ type: 'appointment.updated', appointment: { id: 'a1' } });
    expect(parseLiveEvent('appointment.updated', '{}')).toBeNull();
  });

  it('ignores malformed and unknown events instead of breaking the stream', () => {
    expect(parseLiveEvent('message.created', 'not json')).toBeNull();
    expect(parseLiveEvent('message.created', '{"message":{}}')).toBeNull();
    expect(parseLiveEvent('business.updated', '{"botEnabled":"yes"}')).toBeNull();
    expect(parseLiveEvent('something.else', '{}')).toBeNull();
    expect(parseLiveEvent('contact.fields-changed', '{"contactId":1}')).toBeNull();
  });
});
