import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { I18n } from '../../../core/i18n/i18n';
import { Composer } from './composer';

describe('Composer', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.inject(I18n).use('en');
  });

  it('explains why it is off when the 24 h window is closed', async () => {
    const fixture = TestBed.createComponent(Composer);
    fixture.componentRef.setInput('windowClosed', true);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid="window-closed"]')?.textContent).toContain('approved template');
    expect(element.querySelector('textarea')).toBeNull();
  });

  it('sends the trimmed text on Enter and keeps Shift+Enter for a new line', async () => {
    const fixture = TestBed.createComponent(Composer);
    const sent: string[] = [];
    fixture.componentInstance.submitted.subscribe((text) => sent.push(text));
    await fixture.whenStable();
    const textarea = (fixture.nativeElement as HTMLElement).querySelector('textarea')!;
    textarea.value = '  Hola Lucía  ';
    textarea.dispatchEvent(new Event('input'));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true }));
    expect(sent).toEqual([]);
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(sent).toEqual(['Hola Lucía']);
  });
});
