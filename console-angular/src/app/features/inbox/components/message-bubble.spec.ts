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

  it('shows a placeholder for media and the reply context', async () => {
    const element = await render({ kind: 'image', text: null, content: { kind: 'image', media: {}, context: { providerMessageId: 'wamid.1' } } });
    expect(element.querySelector('.media')?.textContent).toContain('[image]');
    expect(element.querySelector('.reply-context')).not.toBeNull();
    expect(element.querySelector('[data-testid="tick"]')).toBeNull();
  });
});
