import makeWASocket, { Browsers, isJidBroadcast, isJidNewsletter, S_WHATSAPP_NET, type WAVersion } from '@whiskeysockets/baileys';
import type { SessionSocket, SocketFactory, SocketFactoryInput } from '../session/session-socket.ts';
import { boundedSocketCaches } from './socket-caches.ts';

export interface BaileysSocketOptions {
  /** Shown on the phone under "Linked devices". */
  browserName?: string;
  /** Ask WhatsApp for the full history on pairing (off: we answer new messages, not old ones). */
  syncFullHistory?: boolean;
  /**
   * The WhatsApp Web version to announce, asked for at every connect (it may be refreshed while running). Undefined:
   * the one pinned in Baileys, which WhatsApp refuses with 405 once it is too old.
   */
  version?: () => WAVersion | undefined;
}

/**
 * The production SocketFactory: Baileys' `makeWASocket` with settings that keep a business number healthy —
 * not shown as online (the phone keeps its notifications), no full history sync, broadcasts and newsletters ignored
 * at the socket, signal keys cached in front of the store, every cache bounded in size and time (socket-caches.ts),
 * the session's retry counts and sent-message store for resends (`getMessage`). Needs the network; tests use the
 * fake socket, and `baileys-socket-factory.test.ts` checks these options against a mocked Baileys.
 */
export function createBaileysSocketFactory(options: BaileysSocketOptions = {}): SocketFactory {
  return {
    create({ auth, logger, getMessage, messageRetries }: SocketFactoryInput): SessionSocket {
      const baileysLogger = logger.child({ component: 'baileys' });
      baileysLogger.level = 'warn';
      const { keys, ...caches } = boundedSocketCaches(auth.keys, baileysLogger, messageRetries);
      const version = options.version?.();
      const socket = makeWASocket({
        auth: { creds: auth.creds, keys },
        ...caches,
        ...(version ? { version } : {}),
        getMessage,
        logger: baileysLogger,
        browser: Browsers.macOS(options.browserName ?? 'Chrome'),
        markOnlineOnConnect: false,
        syncFullHistory: options.syncFullHistory ?? false,
        shouldIgnoreJid: (jid) => isJidBroadcast(jid) || isJidNewsletter(jid),
      });
      return {
        ev: {
          on: (event, listener) => void socket.ev.on(event, listener),
          flush: () => socket.ev.flush(),
        },
        onFrame: (listener) => void socket.ws.on('frame', listener),
        ping: async (timeoutMs) => {
          await socket.query(
            {
              tag: 'iq',
              attrs: { id: socket.generateMessageTag(), to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:p' },
              content: [{ tag: 'ping', attrs: {} }],
            },
            timeoutMs,
          );
        },
        requestPairingCode: (phoneNumber) => socket.requestPairingCode(phoneNumber),
        sendMessage: (jid, content, sendOptions) => socket.sendMessage(jid, content, sendOptions),
        sendPresenceUpdate: (type, jid) => socket.sendPresenceUpdate(type, jid),
        onWhatsApp: (...phoneNumbers) => socket.onWhatsApp(...phoneNumbers),
        updateMediaMessage: (message) => socket.updateMediaMessage(message),
        logout: () => socket.logout(),
        end: (error) => void socket.end(error),
      };
    },
  };
}
