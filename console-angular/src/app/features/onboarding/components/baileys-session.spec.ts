import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../core/api/api-client';
import type { SessionStatusView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { BaileysSession, sessionPollMilliseconds } from './baileys-session';

function sessionStatus(overrides: Partial<SessionStatusView> = {}): SessionStatusView {
  return {
    instanceId: 'instance-1',
    state: 'waiting-for-scan',
    stopReason: null,
    qr: '2@abc,def,ghi',
    pairingCode: null,
    registered: false,
    account: null,
    restriction: null,
    reconnectAttempts: 0,
    nextAttemptAt: null,
    lastDisconnect: null,
    watchdogRecycles: { silent: 0, keepAliveFailed: 0 },
    updatedAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** Stands in for the API: answers with whatever `current` is, and records the calls. */
class FakeApi {
  current = sessionStatus();
  readonly calls: string[] = [];
  instanceSession = vi.fn(async (id: string) => this.answer(`GET ${id}`));
  requestPairingCode = vi.fn(async (id: string, phone: string) => {
    this.current = sessionStatus({ qr: null, pairingCode: 'ABCD1234' });
    return this.answer(`pairing ${id} ${phone}`);
  });
  logoutSession = vi.fn(async (id: string) => {
    this.current = sessionStatus({ state: 'logged-out', qr: null });
    return this.answer(`logout ${id}`);
  });
  restartSession = vi.fn(async (id: string) => this.answer(`restart ${id}`));
  private answer(call: string): SessionStatusView {
    this.calls.push(call);
    return structuredClone(this.current);
  }
}

describe('BaileysSession', () => {
  let api: FakeApi;

  beforeEach(() => {
    // Only the poll's interval is faked: Angular's change detection keeps its real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    localStorage.clear();
    api = new FakeApi();
    TestBed.configureTestingModule({ providers: [{ provide: ApiClient, useValue: api }] });
    TestBed.inject(I18n).use('en');
  });

  afterEach(() => vi.useRealTimers());

  async function render() {
    const fixture = TestBed.createComponent(BaileysSession);
    fixture.componentRef.setInput('instanceId', 'instance-1');
    fixture.componentRef.setInput('name', 'Shop phone');
    await vi.advanceTimersByTimeAsync(0);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('draws the QR code as an image while waiting for a scan', async () => {
    const { element } = await render();
    expect(element.querySelector('[data-testid="session-state"]')?.getAttribute('data-state')).toBe('waiting-for-scan');
    const image = element.querySelector<HTMLImageElement>('[data-testid="session-qr"]')!;
    expect(image.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(decodeURIComponent(image.getAttribute('src')!)).toContain('<svg');
    expect(image.alt).toContain('QR code');
  });

  it('polls every 2 s while shown and stops when removed', async () => {
    const { fixture, element } = await render();
    expect(api.instanceSession).toHaveBeenCalledTimes(1);
    api.current = sessionStatus({ state: 'open', qr: null, registered: true, account: '34600111222@s.whatsapp.net' });
    await vi.advanceTimersByTimeAsync(sessionPollMilliseconds);
    await fixture.whenStable();
    expect(api.instanceSession).toHaveBeenCalledTimes(2);
    expect(element.querySelector('[data-testid="session-state"]')?.textContent).toContain('Connected');
    expect(element.querySelector('[data-testid="session-qr"]')).toBeNull();
    expect(element.querySelector('[data-testid="pairing-form"]')).toBeNull();
    fixture.destroy();
    await vi.advanceTimersByTimeAsync(sessionPollMilliseconds * 3);
    expect(api.instanceSession).toHaveBeenCalledTimes(2);
  });

  it('says the session is starting while its server is not up yet, then shows the QR code once it is', async () => {
    api.current = sessionStatus({ state: 'pending', qr: null });
    const { fixture, element } = await render();
    expect(element.querySelector('[data-testid="session-state"]')?.textContent).toContain('Starting');
    expect(element.querySelector('[data-testid="session-error"]')).toBeNull();
    expect(element.querySelector('[data-testid="pairing-form"]')).toBeNull();
    api.current = sessionStatus();
    await vi.advanceTimersByTimeAsync(sessionPollMilliseconds);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="session-qr"]')).not.toBeNull();
  });

  it('says the number waits for capacity when the platform has no place for its session, and why a restart was refused', async () => {
    api.current = sessionStatus({ state: 'over-capacity', qr: null });
    const { fixture, element } = await render();
    expect(element.querySelector('[data-testid="session-state"]')?.textContent).toContain('Waiting for capacity');
    expect(element.querySelector('[data-testid="pairing-form"]')).toBeNull();
    const refusal = {
      error: {
        code: 'PLATFORM_CAPACITY_REACHED',
        message: 'This platform runs at most 40 WhatsApp Web sessions and all of them are taken.',
        details: { quota: 'whatsappWebSessions', limit: 40, current: 40 },
      },
    };
    api.restartSession.mockRejectedValueOnce(new HttpErrorResponse({ status: 409, error: refusal }));
    element.querySelector<HTMLButtonElement>('[data-testid="session-restart"]')!.click();
    await vi.advanceTimersByTimeAsync(0);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="session-error"]')?.textContent).toContain('at most 40 WhatsApp Web sessions');
  });

  it('asks for a pairing code for the phone number typed and shows it', async () => {
    const { fixture, element } = await render();
    const input = element.querySelector<HTMLInputElement>('[data-testid="pairing-form"] input')!;
    input.value = '+34 600 111 222';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    element.querySelector<HTMLFormElement>('[data-testid="pairing-form"]')!.dispatchEvent(new Event('submit'));
    await vi.advanceTimersByTimeAsync(0);
    await fixture.whenStable();
    expect(api.calls).toContain('pairing instance-1 +34 600 111 222');
    expect(element.querySelector('[data-testid="session-pairing-code"]')?.textContent).toContain('ABCD1234');
  });

  it('logs out and restarts on request, and says what went wrong when the API refuses', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="session-logout"]')!.click();
    await vi.advanceTimersByTimeAsync(0);
    await fixture.whenStable();
    expect(api.calls).toContain('logout instance-1');
    expect(element.querySelector('[data-testid="session-state"]')?.getAttribute('data-state')).toBe('logged-out');

    const refusal = {
      error: { code: 'UNAVAILABLE', message: 'The session of this instance runs on another host; try again shortly.', details: null },
    };
    api.restartSession.mockRejectedValueOnce(new HttpErrorResponse({ status: 503, error: refusal }));
    element.querySelector<HTMLButtonElement>('[data-testid="session-restart"]')!.click();
    await vi.advanceTimersByTimeAsync(0);
    await fixture.whenStable();
    expect(api.restartSession).toHaveBeenCalledWith('instance-1');
    expect(element.querySelector('[data-testid="session-error"]')?.textContent).toContain('runs on another host');
  });

  it('says why a session stopped by itself and what to do, and shows a restriction while WhatsApp keeps it', async () => {
    api.current = sessionStatus({ state: 'stopped', stopReason: 'version-outdated', qr: null, registered: true });
    const { fixture, element } = await render();
    expect(element.querySelector('[data-testid="session-stop-reason"]')?.textContent).toContain('WhatsApp Web version (405)');
    expect(element.querySelector('[data-testid="session-restriction"]')).toBeNull();

    api.current = sessionStatus({ state: 'stopped', stopReason: 'something-new', qr: null });
    await vi.advanceTimersByTimeAsync(sessionPollMilliseconds);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="session-stop-reason"]')?.textContent).toContain('Stopped by itself');

    api.current = sessionStatus({
      state: 'open',
      qr: null,
      registered: true,
      restriction: { reason: 'error-463', since: '2026-03-01T10:00:00.000Z', until: '2026-03-02T10:00:00.000Z' },
    });
    await vi.advanceTimersByTimeAsync(sessionPollMilliseconds);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="session-stop-reason"]')).toBeNull();
    expect(element.querySelector('[data-testid="session-restriction"]')?.textContent).toContain('no first messages to new contacts');
  });
});
