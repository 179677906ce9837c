/** The providers whose media the platform downloads itself (Baileys: the WhatsApp CDN; Cloud API: the Graph API). */
export type MediaDownloadProvider = 'BAILEYS' | 'META';
