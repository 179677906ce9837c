import type { Logger } from '@app/runtime/service';
import type { WAVersion } from '@whiskeysockets/baileys';

/** What Baileys' `fetchLatestWaWebVersion` answers (it never throws: a failure comes back as `isLatest: false`). */
export type FetchLatestWaWebVersion = (options: { signal: AbortSignal }) => Promise<{ version: WAVersion; isLatest: boolean; error?: unknown }>;

export interface WaWebVersionSource {
  /** The version sockets announce; undefined = the one pinned in Baileys. */
  current(): WAVersion | undefined;
  /** Asks web.whatsapp.com for the current version, unless one is configured; keeps what it had on failure. */
  refresh(): Promise<void>;
}

/** `2.3000.1043857760` → [2, 3000, 1043857760]; null for anything else. Pure. */
export function parseWaVersion(text: string | undefined): WAVersion | null {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text?.trim() ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

/**
 * The WhatsApp Web version to announce. The one pinned in Baileys ages, and WhatsApp then refuses it with 405: a
 * configured version (BAILEYS_WA_VERSION) wins; otherwise it is refreshed from web.whatsapp.com at start when the
 * network allows (a few seconds at most), else Baileys' own is kept.
 */
export function createWaWebVersionSource(deps: {
  configured: WAVersion | null;
  fetchLatest: FetchLatestWaWebVersion;
  logger: Logger;
  timeoutMs?: number;
}): WaWebVersionSource {
  let version: WAVersion | undefined = deps.configured ?? undefined;
  return {
    current: () => version,
    async refresh() {
      if (deps.configured) return;
      const answer = await deps
        .fetchLatest({ signal: AbortSignal.timeout(deps.timeoutMs ?? 5_000) })
        .catch((error: unknown) => ({ isLatest: false, error, version: undefined }));
      if (answer.isLatest && answer.version) {
        version = answer.version;
        deps.logger.info({ event: 'baileys_version.refreshed', version: version.join('.') }, 'WhatsApp Web version refreshed');
        return;
      }
      deps.logger.warn(
        { event: 'baileys_version.refresh_failed', err: answer.error },
        'could not refresh the WhatsApp Web version; Baileys’ pinned one is used',
      );
    },
  };
}
