import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18n } from '../../../core/i18n/i18n';
import { InstanceForm } from './instance-form';

describe('InstanceForm', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<InstanceForm>;
  let element: HTMLElement;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    TestBed.inject(I18n).use('en');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(InstanceForm);
    await fixture.whenStable();
    element = fixture.nativeElement as HTMLElement;
  });
  afterEach(() => backend.verify());

  /** Chooses WhatsApp Web, types a name and submits; returns the pending request. */
  async function connectWhatsAppWeb(name: string) {
    element.querySelector<HTMLInputElement>('mat-radio-button[value="BAILEYS"] input')!.click();
    const input = element.querySelector<HTMLInputElement>('input[formcontrolname="name"]')!;
    input.value = name;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    element.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const request = backend.expectOne('/api/instances');
    expect(request.request.body).toEqual({ provider: 'BAILEYS', name });
    return request;
  }

  const alert = () => element.querySelector('[role="alert"]')?.textContent?.trim();

  it('says which limit refused a new number, with its value, in the console’s language', async () => {
    (await connectWhatsAppWeb('Second shop')).flush(
      {
        error: {
          code: 'INSTANCE_LIMIT_REACHED',
          message: 'This business has 2 WhatsApp Web numbers; the platform allows at most 2.',
          details: { quota: 'whatsappWebInstancesPerBusiness', limit: 2, current: 2, setBy: 'deployment' },
        },
      },
      { status: 403, statusText: 'Forbidden' },
    );
    await fixture.whenStable();
    expect(alert()).toBe('This business already has 2 WhatsApp Web numbers, the most it may have (2). Delete one to connect another.');
    // Nothing was created: the name stays for another try.
    expect(element.querySelector<HTMLInputElement>('input[formcontrolname="name"]')!.value).toBe('Second shop');

    TestBed.inject(I18n).use('es');
    (await connectWhatsAppWeb('Second shop')).flush(
      {
        error: {
          code: 'PLATFORM_CAPACITY_REACHED',
          message: 'This platform runs at most 40 WhatsApp Web sessions and all of them are taken.',
          details: { quota: 'whatsappWebSessions', limit: 40, current: 40, setBy: 'deployment' },
        },
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(alert()).toBe(
      'La plataforma ya atiende todos los números de WhatsApp Web que puede (40). Inténtalo más tarde o consulta al administrador de la plataforma.',
    );
  });

  it('shows the API’s own message when a refusal carries no limit details', async () => {
    (await connectWhatsAppWeb('Shop')).flush(
      { error: { code: 'INSTANCE_LIMIT_REACHED', message: 'Your plan allows one WhatsApp Web number.', details: null } },
      { status: 403, statusText: 'Forbidden' },
    );
    await fixture.whenStable();
    expect(alert()).toBe('Your plan allows one WhatsApp Web number.');
  });
});
