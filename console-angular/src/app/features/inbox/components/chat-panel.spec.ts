import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { I18n } from '../../../core/i18n/i18n';
import { conversationView } from '../../../shared/testing/builders';
import type { BotPauseChoice } from '../data/bot-pause';
import { ChatPanel } from './chat-panel';

describe('ChatPanel', () => {
  beforeEach(() => {
    localStorage.clear();
    const i18n = TestBed.inject(I18n);
    i18n.use('en');
    i18n.timeZone.set('Europe/Madrid');
  });

  it('offers "Pause for…" choices and emits the one picked', async () => {
    const fixture = TestBed.createComponent(ChatPanel);
    fixture.componentRef.setInput('conversation', conversationView());
    fixture.componentRef.setInput('messages', []);
    const picked: BotPauseChoice[] = [];
    fixture.componentInstance.botPaused.subscribe((choice) => picked.push(choice));
    await fixture.whenStable();
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid="bot-pause-menu"]')!.click();
    await fixture.whenStable();
    const items = [
      ...(fixture.nativeElement as HTMLElement).querySelectorAll<HTMLButtonElement>(
        '[data-testid^="bot-pause-"]:not([data-testid="bot-pause-menu"])',
      ),
    ];
    expect(items.map((item) => item.textContent?.trim())).toEqual(['30 minutes', '2 hours', 'Until tomorrow 9:00', 'Until I turn it back on']);
    items[1]!.click();
    expect(picked).toEqual(['twoHours']);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('#bot-pause-choices')).toBeNull();
  });

  it('says until when the bot is paused, on the business clock', async () => {
    const fixture = TestBed.createComponent(ChatPanel);
    fixture.componentRef.setInput('conversation', conversationView({ botDisabled: true, botDisabledUntil: '2026-03-01T11:30:00.000Z' }));
    fixture.componentRef.setInput('messages', []);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="bot-paused"]')?.textContent).toContain('Bot paused until 12:30');
  });
});
