import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { ApiClient } from '../../../core/api/api-client';
import { I18n } from '../../../core/i18n/i18n';
import { Icon } from '../../../shared/ui/icon';
import type { MediaPart } from '../data/message-parts';

export type StoredMediaKind = 'image' | 'sticker' | 'audio' | 'video' | 'document';

/** Types a page may show in place (`<img>`, `<audio>`, `<video>`); the API serves nothing else but octet-stream. */
const inlineType = /^(image\/(jpeg|png|webp|gif)|audio\/(ogg|mpeg|aac|amr|mp4)|video\/(mp4|3gpp))$/;

/**
 * Media whose bytes are in the platform's object store, fetched with the operator's token (the API is Bearer-auth,
 * so a plain `src` to the API would be refused) and shown through an object URL, which is revoked when the bubble
 * goes away. Until the bytes arrive, or when they cannot be fetched, the parent's description stays in view.
 * The bytes come from customers, so an object URL is never opened as a page (it would run in the console's origin):
 * images open full size in an in-page dialog, and anything that is not an image, audio or video type is offered as a
 * download of an `application/octet-stream` object, which a browser saves even when the link is opened in a tab.
 */
@Component({
  selector: 'app-stored-media',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  template: `
    @if (url(); as url) {
      @switch (shownAs()) {
        @case ('audio') {
          <audio controls preload="metadata" [src]="url" [attr.aria-label]="title()" data-testid="media-audio-player"></audio>
        }
        @case ('video') {
          <video controls preload="metadata" [src]="url" [attr.aria-label]="title()" data-testid="media-video-player"></video>
        }
        @case ('document') {
          <a class="download" [href]="url" [attr.download]="downloadName()" data-testid="media-download">
            <app-icon name="document" [size]="20" />{{ i18n.t('media.download') }}
          </a>
        }
        @default {
          <button type="button" class="thumbnail" [attr.title]="i18n.t('media.openFull')" (click)="viewer.showModal()" data-testid="media-thumbnail">
            <img [src]="url" [alt]="media().caption ?? title()" [class.sticker]="kind() === 'sticker'" />
          </button>
          <!-- Full size in the page itself: customer bytes are never opened as a document of the console's origin. -->
          <dialog
            #viewer
            class="viewer"
            tabindex="-1"
            [attr.aria-label]="title()"
            (click)="$event.target === viewer && viewer.close()"
            (keydown.escape)="viewer.close()"
            data-testid="media-viewer"
          >
            <img [src]="url" [alt]="media().caption ?? title()" />
            <button type="button" class="close" (click)="viewer.close()">{{ i18n.t('media.close') }}</button>
          </dialog>
        }
      }
    } @else if (failed()) {
      <span class="muted" role="note" data-testid="media-load-failed">{{ i18n.t('media.loadFailed') }}</span>
    } @else {
      <span class="muted" data-testid="media-loading">{{ i18n.t('media.loading') }}</span>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    img {
      display: block;
      max-width: min(280px, 100%);
      max-height: 280px;
      border-radius: 6px;
      object-fit: cover;
    }
    img.sticker {
      max-width: 140px;
      max-height: 140px;
      object-fit: contain;
    }
    audio {
      width: min(280px, 100%);
    }
    video {
      display: block;
      max-width: min(320px, 100%);
      max-height: 320px;
      border-radius: 6px;
    }
    .download {
      display: inline-flex;
      gap: 4px;
      align-items: center;
      color: #00577f;
    }
    .thumbnail {
      display: block;
      padding: 0;
      border: 0;
      background: none;
      cursor: zoom-in;
    }
    .viewer {
      max-width: 95vw;
      max-height: 95vh;
      padding: 8px;
      border: 0;
      border-radius: 8px;
    }
    .viewer::backdrop {
      background: rgb(0 0 0 / 70%);
    }
    .viewer img {
      display: block;
      max-width: calc(95vw - 16px);
      max-height: calc(95vh - 64px);
      object-fit: contain;
      border-radius: 0;
    }
    .viewer .close {
      display: block;
      margin: 8px 0 0 auto;
    }
    .muted {
      color: var(--console-muted);
      font-size: 0.75rem;
    }
  `,
})
export class StoredMedia {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly messageId = input.required<string>();
  readonly kind = input.required<StoredMediaKind>();
  readonly media = input.required<MediaPart>();
  /** What the media is (Photo, Voice note, the file name): the accessible name of the player or image. */
  readonly title = input.required<string>();
  protected readonly url = signal<string | null>(null);
  protected readonly failed = signal(false);
  /** How the fetched bytes are shown: as their kind when the served type may be shown in place, else as a download. */
  protected readonly shownAs = signal<StoredMediaKind>('document');
  protected readonly downloadName = computed(() => this.media().filename || this.title());

  constructor() {
    let generation = 0;
    effect(() => {
      const messageId = this.messageId();
      const current = ++generation;
      untracked(() => this.load(messageId, current, () => generation));
    });
    inject(DestroyRef).onDestroy(() => {
      generation += 1;
      this.release();
    });
  }

  private load(messageId: string, current: number, latest: () => number): void {
    this.release();
    this.failed.set(false);
    this.api.messageMedia(messageId).then(
      (blob) => {
        // A bubble reused for another message, or destroyed, must not show (or leak) the old bytes.
        if (current !== latest()) return;
        const shownAs = inlineType.test(blob.type.split(';')[0]!.trim().toLowerCase()) ? this.kind() : 'document';
        this.shownAs.set(shownAs);
        this.url.set(URL.createObjectURL(shownAs === 'document' ? new Blob([blob], { type: 'application/octet-stream' }) : blob));
      },
      () => {
        if (current === latest()) this.failed.set(true);
      },
    );
  }

  private release(): void {
    const url = this.url();
    if (url) URL.revokeObjectURL(url);
    this.url.set(null);
  }
}
