import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstanceView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { InstancesPage } from './instances-page';

function instance(overrides: Partial<InstanceView>): InstanceView {
  return {
    id: 'instance-1',
    provider: 'BAILEYS',
    name: 'Shop phone',
    phoneNumberId: null,
    wabaId: null,
    status: 'stopped',
    slot: 0,
    hasAccessToken: false,
    baileys: { maxPerMinute: null, minGapPerRecipientMs: null, newContactsPerDay: null, typing: null },
    overCapacitySince: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

describe('InstancesPage', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    TestBed.inject(I18n).use('en');
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => backend.verify());

  it('marks a WhatsApp Web number the platform has no capacity for', async () => {
    const fixture = TestBed.createComponent(InstancesPage);
    fixture.detectChanges();
    backend.expectOne('/api/instances').flush({
      items: [instance({}), instance({ id: 'instance-2', name: 'Second phone', slot: 7, overCapacitySince: '2026-03-02T09:00:00.000Z' })],
    });
    await fixture.whenStable();
    fixture.detectChanges();
    const rows = [...(fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="instances"] li')];
    expect(rows.map((row) => row.querySelector('[data-testid="over-capacity"]')?.textContent?.trim() ?? null)).toEqual([
      null,
      'waiting for capacity',
    ]);
  });
});
