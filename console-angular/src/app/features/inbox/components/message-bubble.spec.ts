import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { I18n } from '../../../core/i18n/i18n';
import { messageView } from '../../../shared/testing/builders';
import { MessageBubble } from './message-bubble';

describe('MessageBubble', () => {
  beforeEach(() => {
    localStorage.clear();
    const i18n = TestBed.inject(I18n);
    i18n.use('en');
    i18n.timeZone.set('UTC');
  });

  async function render(overrides: Parameters<typeof messageView>[0]): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(MessageBubble);
    fixture.componentRef.setInput('message', messageView(overrides));
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('marks AI replies and shows their delivery state', async () => {
    const element = await render({ direction: 'OUTBOUND', author: 'AI', status: 'DELIVERED', text: 'We open at 8' });
    expect(element.querySelector('.author')?.textContent).toContain('AI');
    expect(element.querySelector('[data-testid="tick"]')?.getAttribute('data-status')).toBe('DELIVERED');
    expect(element.querySelector('[data-testid="tick"]')?.textContent).toContain('Delivered');
    expect(element.querySelector('time')?.textContent).toBe('10:00');
  });

  it('says why a message failed', async () => {
    const element = await render({ direction: 'OUTBOUND', author: 'OPERATOR', status: 'FAILED', errorMessage: 'Re-engagement message' });
    expect(element.querySelector('.author')?.textContent).toContain('You');
    expect(element.querySelector('.failure')?.textContent).toContain('Not delivered: Re-engagement message');
  });

  it('shows what a media message carries and the text of the message it replies to', async () => {
    const fixture = TestBed.createComponent(MessageBubble);
    fixture.componentRef.setInput(
      'message',
      messageView({
        kind: 'image',
        text: '[image] The receipt',
        content: {
          kind: 'image',
          media: { mediaId: '123', mimeType: 'image/jpeg', caption: 'The receipt' },
          context: { providerMessageId: 'wamid.1' },
        },
      }),
    );
    fixture.componentRef.setInput(
      'quotedMessage',
      messageView({ author: 'AI', direction: 'OUTBOUND', text: 'Send me a photo of the receipt', providerMessageId: 'wamid.1' }),
    );
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid="media-image"]')?.textContent).toContain('Photo');
    expect(element.querySelector('[data-testid="media-image"]')?.textContent).toContain('image/jpeg');
    expect(element.querySelector('[data-testid="media-image"]')?.textContent).toContain('Kept by WhatsApp');
    expect(element.textContent).toContain('The receipt');
    expect(element.querySelector('[data-testid="reply-context"]')?.textContent).toContain('Send me a photo of the receipt');
    expect(element.querySelector('[data-testid="tick"]')).toBeNull();
  });

  it('shows a location with a map link and shared contacts with their phones', async () => {
    const location = await render({
      kind: 'location',
      text: null,
      content: { kind: 'location', latitude: 40.4168, longitude: -3.7038, name: 'Puerta del Sol', address: 'Madrid' },
    });
    expect(location.querySelector('[data-testid="media-location"]')?.textContent).toContain('Puerta del Sol');
    expect(location.querySelector('a')?.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=40.4168&mlon=-3.7038#map=17/40.4168/-3.7038');
    const contacts = await render({
      kind: 'contacts',
      text: null,
      content: { kind: 'contacts', contacts: [{ name: 'Pablo', phones: [{ phone: '+34 600 111 222' }], emails: [] }] },
    });
    expect(contacts.querySelector('[data-testid="media-contacts"]')?.textContent).toContain('Pablo');
    expect(contacts.querySelector('[data-testid="media-contacts"]')?.textContent).toContain('+34 600 111 222');
  });

  it("shows a customer's edit with the text before it, and a deleted message without its content", async () => {
    const edited = await render({
      text: 'See you at 6',
      content: {
        kind: 'text',
        text: 'See you at 6',
        editedAt: '2026-03-01T10:05:00.000Z',
        editHistory: [{ providerMessageId: 'e1', at: '2026-03-01T10:05:00.000Z', previousText: 'See you at 5' }],
      },
    });
    expect(edited.querySelector('.text')?.textContent).toContain('See you at 6');
    expect(edited.querySelector('[data-testid="message-edited"]')?.getAttribute('title')).toBe('Before the edit: See you at 5');

    const deleted = await render({
      text: 'my card number is …',
      content: { kind: 'text', text: 'my card number is …', deletedAt: '2026-03-01T10:06:00.000Z' },
    });
    expect(deleted.querySelector('[data-testid="message-deleted"]')?.textContent).toContain('This message was deleted');
    expect(deleted.textContent).not.toContain('my card number');
    expect(deleted.querySelector('[data-testid="message-edited"]')).toBeNull();
  });
});
