/** The bytes of one media file, fetched (and decrypted) by a provider's downloader. */
export interface DownloadedMedia {
  body: Buffer;
  /** The type the provider reports, used when the message itself carried none. */
  mimeType?: string | null;
}

/**
 * One provider's way of fetching an inbound media file (Baileys: WhatsApp's CDN with the message's media key;
 * Cloud API: the Graph API). It throws `MediaDownloadError` to say whether the file is gone for good; any other
 * error counts as temporary. Production adapters live in their service; tests inject bytes.
 */
export interface MediaDownloader<Source> {
  download(request: { instanceId: string; messageId: string; source: Source }): Promise<DownloadedMedia>;
}

/** The provider-specific source as text for the sealed `media_download.source` column, and back. */
export interface MediaSourceCodec<Source> {
  encode(source: Source): string;
  decode(text: string): Source;
}
