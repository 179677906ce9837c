import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { MessageView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { Icon, type IconName } from '../../../shared/ui/icon';
import { byteSize, type MediaPart, messagePart } from '../data/message-parts';
import { StoredMedia, type StoredMediaKind } from './stored-media';

const mediaIcons: Record<'image' | 'video' | 'document' | 'audio' | 'sticker', IconName> = {
  image: 'image',
  video: 'video',
  document: 'document',
  audio: 'mic',
  sticker: 'sticker',
};

/**
 * The body of a bubble for every message kind. Media in the platform's object store plays in the bubble (image
 * thumbnail, audio and video players, a download link for documents); media that is not stored shows what the message
 * carries instead (kind, caption, file name, type, size, where the bytes are).
 */
@Component({
  selector: 'app-message-content',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, StoredMedia],
  template: `
    @let p = part();
    @switch (p.kind) {
      @case ('text') {
        <span class="text">{{ p.text }}</span>
      }
      @case ('location') {
        <span class="card" data-testid="media-location">
          <app-icon name="pin" [size]="28" />
          <span class="lines">
            <strong>{{ p.name ?? i18n.t('media.location') }}</strong>
            @if (p.address) {
              <span>{{ p.address }}</span>
            }
            <a [href]="p.mapUrl" target="_blank" rel="noopener noreferrer">{{ i18n.t('media.openMap') }}</a>
          </span>
        </span>
      }
      @case ('contacts') {
        <span class="contacts" data-testid="media-contacts">
          @for (contact of p.contacts; track $index) {
            <span class="card">
              <app-icon name="person" [size]="28" />
              <span class="lines">
                <strong>{{ contact.name }}</strong>
                @for (phone of contact.phones; track $index) {
                  <a [href]="'tel:+' + phone.replace('+', '')">{{ phone }}</a>
                }
              </span>
            </span>
          }
        </span>
      }
      @case ('other') {
        <span class="text">{{ p.text }}</span>
      }
      @default {
        @if (media(); as media) {
          @if (media.state === 'stored' && playsInline()) {
            <app-stored-media
              [messageId]="message().id"
              [kind]="storedKind()"
              [media]="media"
              [title]="mediaTitle()"
              [attr.data-testid]="'media-' + p.kind"
            />
          } @else {
            <span class="card" [attr.data-testid]="'media-' + p.kind">
              <app-icon [name]="icon()" [size]="28" />
              <span class="lines">
                <strong>{{ mediaTitle() }}</strong>
                @if (details()) {
                  <span class="muted">{{ details() }}</span>
                }
                @if (media.state === 'stored') {
                  <app-stored-media [messageId]="message().id" [kind]="storedKind()" [media]="media" [title]="mediaTitle()" />
                } @else if (media.url) {
                  <a [href]="media.url" target="_blank" rel="noopener noreferrer" data-testid="media-link">{{ i18n.t('media.openLink') }}</a>
                } @else {
                  <span class="muted state">{{ i18n.t(stateKey(media)) }}</span>
                }
              </span>
            </span>
          }
          @if (media.caption) {
            <span class="text">{{ media.caption }}</span>
          }
        }
      }
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .text {
      white-space: pre-wrap;
    }
    .card {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      padding: 6px;
      background: rgb(0 0 0 / 4%);
      border-radius: 6px;
      min-width: 200px;
    }
    .lines {
      display: flex;
      flex-direction: column;
      gap: 2px;
      white-space: normal;
    }
    .lines a {
      color: #00577f;
    }
    .contacts {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .muted {
      color: var(--console-muted);
      font-size: 0.75rem;
    }
  `,
})
export class MessageContent {
  protected readonly i18n = inject(I18n);
  readonly message = input.required<MessageView>();
  protected readonly part = computed(() => messagePart(this.message()));
  protected readonly media = computed(() => {
    const part = this.part();
    return 'media' in part ? part.media : null;
  });
  protected readonly storedKind = computed(() => this.part().kind as StoredMediaKind);
  /** Pictures and video replace the card; audio and documents keep it (title, size) with the player or link inside. */
  protected readonly playsInline = computed(() => ['image', 'sticker', 'video'].includes(this.part().kind));
  protected readonly icon = computed(() => {
    const kind = this.part().kind;
    return kind in mediaIcons ? mediaIcons[kind as keyof typeof mediaIcons] : 'document';
  });
  protected readonly mediaTitle = computed(() => {
    const part = this.part();
    switch (part.kind) {
      case 'image':
        return this.i18n.t('media.image');
      case 'video':
        return this.i18n.t('media.video');
      case 'audio':
        return part.voice ? this.i18n.t('media.voice') : this.i18n.t('media.audio');
      case 'sticker':
        return part.animated ? this.i18n.t('media.animatedSticker') : this.i18n.t('media.sticker');
      case 'document':
        return part.media.filename ?? this.i18n.t('media.document');
      default:
        return '';
    }
  });
  protected readonly details = computed(() => {
    const media = this.media();
    if (!media) return '';
    return [media.mimeType, media.size === null ? null : byteSize(media.size)].filter(Boolean).join(' · ');
  });

  protected stateKey(media: MediaPart) {
    return `media.state.${media.state}` as const;
  }
}
