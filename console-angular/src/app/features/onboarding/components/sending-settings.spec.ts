import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstanceView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { draftOf, patchOf, SendingSettings } from './sending-settings';

const instance: InstanceView = {
  id: 'instance-1',
  provider: 'BAILEYS',
  name: 'Shop phone',
  phoneNumberId: null,
  wabaId: null,
  status: 'open',
  slot: 0,
  hasAccessToken: false,
  baileys: { maxPerMinute: 6, minGapPerRecipientMs: null, newContactsPerDay: null, typing: false },
  overCapacitySince: null,
  createdAt: '2026-03-01T10:00:00.000Z',
};

describe('SendingSettings', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    TestBed.inject(I18n).use('en');
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => backend.verify());

  it('edits the gap in seconds and sends an empty field as null, the platform default', () => {
    const draft = draftOf(instance.baileys);
    expect(draft).toEqual({ maxPerMinute: 6, minGapSeconds: null, newContactsPerDay: null, typing: 'off' });
    expect(patchOf({ ...draft, minGapSeconds: 2.5, typing: 'default' })).toEqual({
      maxPerMinute: 6,
      minGapPerRecipientMs: 2_500,
      newContactsPerDay: null,
      typing: null,
    });
  });

  it('saves the limits of the number, and says why the API refused them', async () => {
    const fixture = TestBed.createComponent(SendingSettings);
    fixture.componentRef.setInput('instance', instance);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect((element.querySelector('input[name="maxPerMinute"]') as HTMLInputElement).value).toBe('6');

    element.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const saving = backend.expectOne('/api/instances/instance-1');
    expect(saving.request.method).toBe('PATCH');
    expect(saving.request.body).toEqual({ baileys: { maxPerMinute: 6, minGapPerRecipientMs: null, newContactsPerDay: null, typing: false } });
    saving.flush(instance);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="sending-saved"]')?.textContent).toContain('Sending limits saved.');

    element.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    backend.expectOne('/api/instances/instance-1').flush(
      {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request body is invalid.',
          details: [{ path: 'body.baileys.maxPerMinute', message: 'Too big' }],
        },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="sending-error"]')?.textContent).toContain('The request body is invalid.');
  });
});
