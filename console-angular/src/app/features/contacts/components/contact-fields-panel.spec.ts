import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactFieldValueView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { ContactFieldsPanel } from './contact-fields-panel';

const items: ContactFieldValueView[] = [
  { key: 'city', label: 'City', type: 'TEXT', options: [], value: 'Madrid', setBy: 'AI', setByUserId: null, updatedAt: '2026-03-01T10:00:00.000Z' },
  { key: 'shoe_size', label: 'Shoe size', type: 'NUMBER', options: [], value: null, setBy: null, setByUserId: null, updatedAt: null },
  { key: 'birthday', label: 'Birthday', type: 'DATE', options: [], value: null, setBy: null, setByUserId: null, updatedAt: null },
  { key: 'width', label: 'Width', type: 'ENUM', options: ['Narrow', 'Wide'], value: 'Wide', setBy: 'OPERATOR', setByUserId: 'u1', updatedAt: null },
];

describe('ContactFieldsPanel', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    TestBed.inject(I18n).use('en');
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => backend.verify());

  async function open() {
    const fixture = TestBed.createComponent(ContactFieldsPanel);
    fixture.componentRef.setInput('contactId', 'contact-1');
    fixture.detectChanges();
    backend.expectOne('/api/contacts/contact-1/fields').flush({ items });
    await fixture.whenStable();
    fixture.detectChanges();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows a typed input per field with the stored value and who set it', async () => {
    const { element } = await open();
    const control = (key: string) => element.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="contact-field-${key}"]`)!;
    expect([control('city').tagName, (control('city') as HTMLInputElement).type, control('city').value]).toEqual(['INPUT', 'text', 'Madrid']);
    expect((control('birthday') as HTMLInputElement).type).toBe('date');
    expect(control('shoe_size').getAttribute('inputmode')).toBe('decimal');
    expect([control('width').tagName, control('width').value]).toEqual(['SELECT', 'Wide']);
    expect(element.textContent).toContain('Saved by the agent');
    expect(element.querySelector<HTMLButtonElement>('[data-testid="contact-fields-save"]')!.disabled).toBe(true);
  });

  it('sends only the changed values and shows the API’s reason under the field', async () => {
    const { fixture, element } = await open();
    const size = element.querySelector<HTMLInputElement>('[data-testid="contact-field-shoe_size"]')!;
    size.value = 'abc';
    size.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    element.querySelector<HTMLButtonElement>('[data-testid="contact-fields-save"]')!.click();
    const request = backend.expectOne({ method: 'PUT', url: '/api/contacts/contact-1/fields' });
    expect(request.request.body).toEqual({ values: { shoe_size: 'abc' } });
    request.flush(
      {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request body is invalid.',
          details: [{ path: 'body.values.shoe_size', message: 'must be a number' }],
        },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(element.querySelector('[role="alert"]')?.textContent?.trim()).toBe('must be a number');
  });
});
