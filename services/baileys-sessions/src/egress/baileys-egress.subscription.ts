import {
  claimOutboundMessage,
  markOutboundFailed,
  markOutboundSent,
  releaseOutboundMessage,
  type ClaimedOutboundMessage,
  type PrismaClient,
} from '@app/db';
import type { DeliveryOutcome, ObjectStore, Subscription } from '@app/runtime/ports';
import { providerEgressSubscription, type SendRequest } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';
import type { AnyMessageContent, MiscMessageGenerationOptions, WAMessage } from '@whiskeysockets/baileys';
import { identityOf, recipientJid } from '../baileys/jid.ts';
import type { SentMessageRepository } from '../delivery/sent-message.repository.ts';
import { closeStatusCode, DisconnectCode } from '../session/disconnect-policy.ts';
import type { InstanceSession } from '../session/instance-session.ts';
import { delay, systemTimers, type Timers } from '../session/timers.ts';
import { defaultGovernorConfig, SendingGovernor, type GovernorConfig } from '../governor/sending-governor.ts';
import type { VoiceNoteConverter } from '../media/voice-note-converter.ts';
import { toBaileysContent, type OutboundPlan } from './outbound-content.ts';

export interface BaileysEgressDependencies {
  prisma: PrismaClient;
  /** The sessions this process runs (the SessionHost). */
  sessions: { session(instanceId: string): Pick<InstanceSession, 'openSocket' | 'status'> | undefined };
  logger: Logger;
  timers?: Timers;
  random?: () => number;
  /** Per-instance governor settings over the safe defaults, asked for on every send (cache it). */
  governorConfig?: (instanceId: string) => Partial<GovernorConfig> | Promise<Partial<GovernorConfig>>;
  /** Ids of the messages this process is sending right now (claimed, not settled): the stuck-send sweep skips them. */
  inFlight?: Set<string>;
  /** Where platform-stored media live (`media.mediaId` of outbound content). */
  objectStore?: ObjectStore;
  /** Converts audio sent as a voice note to Ogg/Opus mono 48 kHz (ffmpeg). Without it voice notes go as stored. */
  voiceNotes?: VoiceNoteConverter;
  /** Claims per message before a not-sent error becomes a failure (default 5). */
  maxAttempts?: number;
  /** Every sent message is kept here for resends (Baileys' `getMessage`). */
  sentMessages?: SentMessageRepository;
}

export const baileysEgressGroup = 'baileys-egress';

/** Where a message goes, or why it cannot go anywhere. */
type Recipient = { jid: string } | { code: string; message: string };

/**
 * `messages.outbound` → the WhatsApp Web session of the instance, for BAILEYS instances only. While the session is
 * reconnecting (or runs elsewhere) the request is left PENDING and redelivered later. Otherwise: claim (PENDING →
 * SENDING), pace through the instance's SendingGovernor (wait, "typing…", send), then SENT with WhatsApp's message
 * id (deleting the answered buffer) or FAILED. A send that may have gone out is never repeated (at most once).
 */
export function createBaileysEgressHandler(deps: BaileysEgressDependencies): Subscription {
  const timers = deps.timers ?? systemTimers;
  const maxAttempts = deps.maxAttempts ?? 5;
  const governors = new Map<string, { governor: SendingGovernor; config: string }>();
  const inFlight = deps.inFlight ?? new Set<string>();
  async function governorOf(instanceId: string): Promise<SendingGovernor> {
    const config = { ...defaultGovernorConfig, ...(await deps.governorConfig?.(instanceId)) };
    const key = JSON.stringify(config);
    const known = governors.get(instanceId);
    if (known) {
      if (known.config !== key) known.governor.reconfigure(config);
      known.config = key;
      return known.governor;
    }
    // One governor per session this process runs: those of sessions gone elsewhere are dropped (bounded map).
    for (const id of governors.keys()) if (!deps.sessions.session(id)) governors.delete(id);
    const governor = new SendingGovernor(config, timers, deps.random);
    governors.set(instanceId, { governor, config: key });
    return governor;
  }

  async function send(event: SendRequest): Promise<DeliveryOutcome> {
    const run = { claimed: false };
    try {
      return await sendOnce(event, run);
    } finally {
      if (run.claimed) inFlight.delete(event.data.messageId);
    }
  }

  async function sendOnce(event: SendRequest, run: { claimed: boolean }): Promise<DeliveryOutcome> {
    const { messageId, bufferId, instanceId } = event.data;
    const session = deps.sessions.session(instanceId);
    // Not run by this process (yet): leave it PENDING; the transport redelivers it.
    if (!session) return 'retry';
    const status = session.status();
    if (status.state === 'logged-out' || (status.state === 'stopped' && status.stopReason && status.stopReason !== 'lease-lost')) {
      const claimed = await claimOutboundMessage(deps.prisma, messageId);
      if (claimed)
        await fail(
          claimed,
          'BAILEYS_SESSION_UNAVAILABLE',
          `The WhatsApp session is ${status.state}${status.stopReason ? ` (${status.stopReason})` : ''}; it needs a person.`,
        );
      return 'success';
    }
    if (!session.openSocket()) return 'retry';

    const claimed = await claimOutboundMessage(deps.prisma, messageId);
    if (!claimed) return 'success';
    run.claimed = true;
    inFlight.add(messageId);
    const plan = toBaileysContent(claimed);
    if (!plan) return fail(claimed, 'BAILEYS_UNSUPPORTED_CONTENT', `Cannot send a ${claimed.kind} message through a WhatsApp Web session.`);
    const conversation = await deps.prisma.conversation.findUnique({ where: { id: claimed.conversationId }, select: { lastInboundAt: true } });
    const firstContact = !conversation?.lastInboundAt;
    if (firstContact && status.restriction) {
      return fail(
        claimed,
        'BAILEYS_ACCOUNT_RESTRICTED',
        `WhatsApp restricts this number (${status.restriction.reason}) until ${status.restriction.until}: no first messages to new contacts; retrying makes it worse.`,
      );
    }
    let target: Recipient;
    try {
      target = await recipientOf(claimed, firstContact);
    } catch (error) {
      // The number lookup did not answer (socket closing, timeout): nothing was sent; try again later.
      return release(claimed, 'BAILEYS_NOT_CONNECTED', `Looking the number up on WhatsApp failed: ${(error as Error).message}`);
    }
    if ('code' in target) return fail(claimed, target.code, target.message);
    const jid = target.jid;

    // Bytes first (and a voice note converted) so "typing…" is not shown while a file is being prepared.
    let content: AnyMessageContent = plan.content;
    if (plan.objectKey) {
      const stored = await deps.objectStore?.get(plan.objectKey);
      if (!stored) return fail(claimed, 'BAILEYS_MEDIA_MISSING', `Media ${plan.objectKey} is not in the object store.`);
      try {
        content = await withBytes(plan, stored.body, stored.contentType);
      } catch (error) {
        return fail(claimed, 'BAILEYS_AUDIO_CONVERSION_FAILED', (error as Error).message);
      }
    }

    const pacing = (await governorOf(instanceId)).plan({ recipient: jid, textLength: plan.textLength, firstContact });
    if (!pacing.allowed) {
      return fail(claimed, 'BAILEYS_NEW_CONTACT_CAP', 'Daily cap on first messages to new contacts reached (protects the number from a ban).');
    }
    await delay(timers, pacing.waitMs);
    // WhatsApp shows "typing…" only from a client that is available; unavailable again after, so the phone keeps
    // its notifications (markOnlineOnConnect is off for that reason).
    await presence(session, 'available');
    await presence(session, 'composing', jid);
    await delay(timers, pacing.typingMs);
    await presence(session, 'paused', jid);

    const socket = session.openSocket();
    if (!socket) return release(claimed, 'BAILEYS_NOT_CONNECTED', 'The session closed before the message went out.');
    let sent: WAMessage | undefined;
    try {
      sent = await socket.sendMessage(jid, content, await quoteOptions(claimed, jid, plan.quotedProviderMessageId));
    } catch (error) {
      await presence(session, 'unavailable');
      // Baileys refuses to send on a closed socket with 428 before anything leaves: safe to try again later.
      if (closeStatusCode(error) === DisconnectCode.connectionClosed) {
        return release(claimed, 'BAILEYS_NOT_CONNECTED', (error as Error).message);
      }
      return fail(claimed, 'BAILEYS_SEND_FAILED', `${(error as Error).message} (outcome unknown; not resent)`);
    }
    await presence(session, 'unavailable');
    const providerMessageId = sent?.key.id;
    if (!providerMessageId) return fail(claimed, 'BAILEYS_SEND_FAILED', 'Baileys returned no message id.');
    if (sent?.message && deps.sentMessages) {
      // Kept for the recipient's devices that ask for it again; a failure here must not turn a sent message into a failed one.
      await deps.sentMessages
        .remember({ businessId: claimed.businessId, instanceId, messageId: providerMessageId, message: sent.message })
        .catch((error: unknown) =>
          deps.logger.warn({ event: 'baileys_egress.remember_failed', messageId, err: error }, 'sent message not kept for resends'),
        );
    }
    await markOutboundSent(deps.prisma, { messageId, providerMessageId, bufferId });
    deps.logger.info({ event: 'baileys_egress.sent', instanceId, messageId, providerMessageId }, 'message sent');
    return 'success';
  }

  /** The `{ url: 'object:…' }` placeholder → the stored bytes; a voice note is converted to Ogg/Opus mono first. */
  async function withBytes(plan: OutboundPlan, body: Buffer, contentType: string): Promise<AnyMessageContent> {
    const record = { ...(plan.content as Record<string, unknown>) };
    if (record['audio'] && record['ptt'] === true && deps.voiceNotes) {
      const note = await deps.voiceNotes.toVoiceNote(body);
      return { ...record, audio: note.body, mimetype: note.mimeType, seconds: note.seconds } as AnyMessageContent;
    }
    for (const key of ['image', 'video', 'audio', 'document', 'sticker']) {
      if (record[key]) record[key] = body;
    }
    // The object store knows the type when the message does not say it.
    const unknownType = !record['mimetype'] || (record['document'] && record['mimetype'] === 'application/octet-stream');
    if (unknownType && contentType && !record['sticker']) record['mimetype'] = contentType;
    return record as AnyMessageContent;
  }

  /**
   * Where to send: the chat the customer wrote from when it is a LID chat (answering a LID chat on the phone number
   * opens a second chat, Baileys #1768); a first message to a phone number goes to the JID WhatsApp's `onWhatsApp`
   * gives for it (Brazil's ninth digit and other local forms differ from what people type).
   */
  async function recipientOf(claimed: ClaimedOutboundMessage, firstContact: boolean): Promise<Recipient> {
    if (!firstContact) {
      const lastInbound = await deps.prisma.message.findFirst({
        where: { conversationId: claimed.conversationId, direction: 'INBOUND' },
        orderBy: { createdAt: 'desc' },
        select: { content: true },
      });
      const chatJid = (lastInbound?.content as { chatJid?: unknown } | null)?.chatJid;
      if (typeof chatJid === 'string' && identityOf(chatJid).lid) return { jid: chatJid };
    }
    const fallback = recipientJid(claimed.contact);
    if (!fallback) return { code: 'BAILEYS_NO_RECIPIENT', message: 'The contact has neither a phone number nor a LID.' };
    if (!firstContact || claimed.contact.lid || !claimed.contact.phone) return { jid: fallback };
    const socket = deps.sessions.session(claimed.instanceId)?.openSocket();
    if (!socket) throw new Error('the session closed');
    const digits = claimed.contact.phone.replace(/\D/g, '');
    const [found] = (await socket.onWhatsApp(digits)) ?? [];
    if (!found?.exists) return { code: 'BAILEYS_NOT_ON_WHATSAPP', message: `+${digits} is not on WhatsApp.` };
    return { jid: found.jid };
  }

  async function presence(session: Pick<InstanceSession, 'openSocket'>, type: 'available' | 'composing' | 'paused' | 'unavailable', jid?: string) {
    try {
      await session.openSocket()?.sendPresenceUpdate(type, jid);
    } catch (error) {
      // "typing…" is cosmetic: a failure must not block the reply.
      deps.logger.debug({ event: 'baileys_egress.presence_failed', err: error }, 'presence update failed');
    }
  }

  /** Baileys quotes from a message object: the original's text is looked up so the quote shows it. */
  async function quoteOptions(
    claimed: ClaimedOutboundMessage,
    jid: string,
    quotedId: string | null,
  ): Promise<MiscMessageGenerationOptions | undefined> {
    if (!quotedId) return undefined;
    const original = await deps.prisma.message.findFirst({
      where: { instanceId: claimed.instanceId, providerMessageId: quotedId },
      select: { text: true, direction: true },
    });
    return {
      quoted: { key: { remoteJid: jid, id: quotedId, fromMe: original?.direction === 'OUTBOUND' }, message: { conversation: original?.text ?? '' } },
    };
  }

  async function release(claimed: ClaimedOutboundMessage, code: string, message: string): Promise<DeliveryOutcome> {
    if (claimed.sendAttempts >= maxAttempts) return fail(claimed, code, message);
    await releaseOutboundMessage(deps.prisma, { messageId: claimed.id, code, message });
    deps.logger.warn({ event: 'baileys_egress.retry', code, attempt: claimed.sendAttempts }, 'send will be retried');
    return 'retry';
  }

  async function fail(claimed: ClaimedOutboundMessage, code: string, message: string): Promise<DeliveryOutcome> {
    await markOutboundFailed(deps.prisma, { messageId: claimed.id, code, message });
    deps.logger.warn({ event: 'baileys_egress.failed', instanceId: claimed.instanceId, messageId: claimed.id, code }, 'send failed');
    return 'success';
  }

  return providerEgressSubscription({ provider: 'BAILEYS', group: baileysEgressGroup, prisma: deps.prisma, send });
}
