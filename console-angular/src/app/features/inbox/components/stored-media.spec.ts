import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../core/api/api-client';
import { I18n } from '../../../core/i18n/i18n';
import { messageView } from '../../../shared/testing/builders';
import { MessageBubble } from './message-bubble';

/** Stands in for the API: answers media requests with the blob registered for the message id, else a 404. */
class FakeApi {
  readonly blobs = new Map<string, Blob>();
  messageMedia = vi.fn(async (messageId: string) => {
    const blob = this.blobs.get(messageId);
    if (!blob) throw new HttpErrorResponse({ status: 404, error: { error: { code: 'NOT_FOUND', message: 'Not stored.', details: null } } });
    return blob;
  });
}

const stored = { state: 'stored', attempts: 1 };

describe('MessageBubble with stored media', () => {
  let api: FakeApi;
  let created: string[];
  let createdFrom: Blob[];
  let revoked: string[];

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    created = [];
    createdFrom = [];
    revoked = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = `blob:http://localhost/object-${created.length + 1}`;
      created.push(url);
      createdFrom.push(blob as Blob);
      return url;
    });
    // jsdom has no modal dialogs: opening one sets `open`, as a browser does.
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url: string) => void revoked.push(url));
    TestBed.configureTestingModule({ providers: [{ provide: ApiClient, useValue: api }] });
    const i18n = TestBed.inject(I18n);
    i18n.use('en');
    i18n.timeZone.set('UTC');
  });
  afterEach(() => vi.restoreAllMocks());

  async function render(overrides: Parameters<typeof messageView>[0]) {
    const fixture = TestBed.createComponent(MessageBubble);
    fixture.componentRef.setInput('message', messageView(overrides));
    await fixture.whenStable();
    await vi.waitFor(() => expect(api.messageMedia).toHaveBeenCalled());
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows a stored image as a thumbnail that opens full size in the page, never as a page of its own, and revokes its object URL when destroyed', async () => {
    api.blobs.set('image-1', new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }));
    const { fixture, element } = await render({
      id: 'image-1',
      kind: 'image',
      text: '[image] The receipt',
      content: { kind: 'image', media: { mediaId: 'media/b/i/image-1.jpg', mimeType: 'image/jpeg', caption: 'The receipt', download: stored } },
    });
    await vi.waitFor(() => expect(element.querySelector('[data-testid="media-thumbnail"] img')).not.toBeNull());
    const thumbnail = element.querySelector<HTMLButtonElement>('[data-testid="media-thumbnail"]')!;
    expect(api.messageMedia).toHaveBeenCalledWith('image-1');
    expect(thumbnail.tagName).toBe('BUTTON');
    expect(thumbnail.getAttribute('title')).toBe('Open full size');
    expect(thumbnail.querySelector('img')?.getAttribute('src')).toBe(created[0]);
    expect(thumbnail.querySelector('img')?.getAttribute('alt')).toBe('The receipt');
    expect(element.textContent).toContain('The receipt');
    // No link to the object URL: opening it in a tab would run customer bytes in the console's origin.
    expect(element.querySelector('a[href^="blob:"], [target]')).toBeNull();

    const viewer = element.querySelector<HTMLDialogElement>('[data-testid="media-viewer"]')!;
    expect(viewer.open).toBe(false);
    thumbnail.click();
    expect(viewer.open).toBe(true);
    expect(viewer.querySelector('img')?.getAttribute('src')).toBe(created[0]);
    expect(revoked).toEqual([]);

    fixture.destroy();
    expect(revoked).toEqual([created[0]]);
  });

  it('plays a stored voice note and a stored video with native controls', async () => {
    api.blobs.set('voice-1', new Blob([new Uint8Array([0x4f, 0x67, 0x67, 0x53])], { type: 'audio/ogg' }));
    api.blobs.set('video-1', new Blob([new Uint8Array([0, 0, 0, 0x18])], { type: 'video/mp4' }));
    const voice = await render({
      id: 'voice-1',
      kind: 'audio',
      text: '[audio]',
      content: { kind: 'audio', voice: true, media: { mimeType: 'audio/ogg', size: 2048, download: stored } },
    });
    await vi.waitFor(() => expect(voice.element.querySelector('audio')).not.toBeNull());
    const audio = voice.element.querySelector('audio')!;
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(audio.getAttribute('src')).toBe(created[0]);
    expect(audio.getAttribute('aria-label')).toBe('Voice note');
    expect(voice.element.querySelector('[data-testid="media-audio"]')?.textContent).toContain('2 kB');

    const video = await render({
      id: 'video-1',
      kind: 'video',
      text: '[video]',
      content: { kind: 'video', media: { mimeType: 'video/mp4', download: stored } },
    });
    await vi.waitFor(() => expect(video.element.querySelector('video')).not.toBeNull());
    expect(video.element.querySelector('video')?.hasAttribute('controls')).toBe(true);
    expect(video.element.querySelector('video')?.getAttribute('src')).toBe(created[1]);
  });

  it('offers a stored document as a download under its file name', async () => {
    api.blobs.set('document-1', new Blob(['%PDF-1.4'], { type: 'application/pdf' }));
    const { element } = await render({
      id: 'document-1',
      kind: 'document',
      text: '[document]',
      content: { kind: 'document', media: { mimeType: 'application/pdf', filename: 'menu.pdf', download: stored } },
    });
    await vi.waitFor(() => expect(element.querySelector('[data-testid="media-download"]')).not.toBeNull());
    const link = element.querySelector<HTMLAnchorElement>('[data-testid="media-download"]')!;
    expect(link.getAttribute('href')).toBe(created[0]);
    expect(link.getAttribute('download')).toBe('menu.pdf');
    expect(link.hasAttribute('target')).toBe(false);
    // Saved, never rendered, even when the link is opened in a tab.
    expect(createdFrom[0]!.type).toBe('application/octet-stream');
    expect(link.textContent).toContain('Download');
    expect(element.querySelector('[data-testid="media-document"]')?.textContent).toContain('menu.pdf');
  });

  it('offers an "image" the server serves as application/octet-stream (an SVG or a page) only as a download', async () => {
    api.blobs.set(
      'svg-1',
      new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], { type: 'application/octet-stream' }),
    );
    const { element } = await render({
      id: 'svg-1',
      kind: 'image',
      text: '[image]',
      content: { kind: 'image', media: { mimeType: 'application/octet-stream', download: stored } },
    });
    await vi.waitFor(() => expect(element.querySelector('[data-testid="media-download"]')).not.toBeNull());
    expect(element.querySelector('img, [data-testid="media-thumbnail"]')).toBeNull();
    expect(element.querySelector('[data-testid="media-download"]')?.getAttribute('download')).toBe('Photo');
    expect(createdFrom[0]!.type).toBe('application/octet-stream');
  });

  it('says so when the stored bytes cannot be fetched, and never asks the API for media that is not stored', async () => {
    const { element } = await render({
      id: 'image-missing',
      kind: 'image',
      text: '[image]',
      content: { kind: 'image', media: { mimeType: 'image/jpeg', download: stored } },
    });
    await vi.waitFor(() => expect(element.querySelector('[data-testid="media-load-failed"]')?.textContent).toContain('Could not load'));
    expect(created).toEqual([]);

    api.messageMedia.mockClear();
    const fixture = TestBed.createComponent(MessageBubble);
    fixture.componentRef.setInput(
      'message',
      messageView({ id: 'remote-1', kind: 'image', text: '[image]', content: { kind: 'image', media: { mediaId: '123', mimeType: 'image/jpeg' } } }),
    );
    await fixture.whenStable();
    const remote = fixture.nativeElement as HTMLElement;
    expect(remote.querySelector('[data-testid="media-image"]')?.textContent).toContain('Kept by WhatsApp');
    expect(api.messageMedia).not.toHaveBeenCalled();
  });

  it('does not show bytes that arrive after the bubble is gone', async () => {
    let resolve!: (blob: Blob) => void;
    api.messageMedia.mockImplementationOnce(() => new Promise<Blob>((done) => (resolve = done)));
    const { fixture } = await render({
      id: 'slow-1',
      kind: 'image',
      text: '[image]',
      content: { kind: 'image', media: { mimeType: 'image/jpeg', download: stored } },
    });
    fixture.destroy();
    resolve(new Blob([new Uint8Array([1])], { type: 'image/jpeg' }));
    await Promise.resolve();
    await Promise.resolve();
    expect(created).toEqual([]);
  });
});
