// Public entry of @app/baileys-sessions: no side effects on import.
export { createBaileysSessions } from './create-baileys-sessions.ts';
export type { BaileysSessions, BaileysSessionsDependencies } from './create-baileys-sessions.ts';
export { baileysSessionsConfigSchema, loadBaileysSessionsConfig, type BaileysSessionsConfig } from './config.ts';
export { SessionHost, defaultSessionHostConfig } from './session/session-host.ts';
export type { SessionHostConfig, SessionHostDependencies } from './session/session-host.ts';
export { InstanceSession } from './session/instance-session.ts';
export type { SessionEventHandlers } from './session/instance-session.ts';
export type { SessionSocket, SocketFactory, SocketFactoryInput } from './session/session-socket.ts';
export { decideOnClose, DisconnectCode } from './session/disconnect-policy.ts';
export { backoffDelay, defaultBackoff, type BackoffPolicy } from './session/backoff.ts';
export { systemTimers, type Timers } from './session/timers.ts';
export type { AuthStateStore, AuthKeyChange } from './auth-state/auth-state-store.ts';
export { createPostgresAuthStateStore } from './auth-state/postgres-auth-state-store.ts';
export { createRedisAuthStateStore } from './auth-state/redis-auth-state-store.ts';
export { loadAuthenticationState, type SessionAuthState } from './auth-state/authentication-state.ts';
export { mapInboundMessage, type BaileysInboundItem, type InboundMappingResult } from './baileys/map-inbound-message.ts';
export { mapMessageContent } from './baileys/map-message-content.ts';
export { mapReceipt } from './baileys/map-receipt.ts';
export { createBaileysSocketFactory } from './baileys/baileys-socket-factory.ts';
export { createBaileysIngest, type BaileysIngest } from './ingest/baileys-ingest.ts';
export { createBaileysEgressHandler, baileysEgressGroup } from './egress/baileys-egress.subscription.ts';
export { SendingGovernor, defaultGovernorConfig, type GovernorConfig, type SendPlan } from './governor/sending-governor.ts';
export { SessionWatchdog, defaultWatchdogConfig, type WatchdogConfig } from './watchdog/session-watchdog.ts';
export { createSessionLeaseRepository, type HeldLease, type SessionLeaseRepository } from './lease/session-lease.repository.ts';
export { createBaileysMediaDownloads, type BaileysMediaDownloads, type BaileysMediaDownloadsDependencies } from './media/baileys-media-downloads.ts';
export { createBaileysMediaDownloader, type BaileysMediaDownloader } from './media/media-downloader.ts';
export { baileysMediaSourceCodec, mediaSourceOf, type MediaSource } from './media/media-source.ts';
export { createFfmpegVoiceNoteConverter, type VoiceNote, type VoiceNoteConverter } from './media/voice-note-converter.ts';
export { parseOggOpus, type OggOpusInfo } from './media/ogg-opus.ts';
export { applyMessageChange, type MessageChangeOutcome } from './ingest/message-change.repository.ts';
export type { BaileysInboundChange } from './baileys/map-inbound-message.ts';
export type { MessageChange } from './baileys/map-message-content.ts';
// Kubernetes (docs/adr/0007-baileys-session-routing.md)
export {
  startBaileysSessionsService,
  type BaileysSessionsService,
  type BaileysSessionsServiceOptions,
} from './kubernetes/start-baileys-sessions-service.ts';
export { podOrdinal, podNameOfSlot } from './kubernetes/pod-ordinal.ts';
export { baileysSessionsKubernetesSchema, loadBaileysSessionsKubernetesConfig, type BaileysSessionsKubernetesConfig } from './config.ts';
export { baileysSlotTopic } from './routing/slot-topic.ts';
export { createOutboundRouterSubscription, baileysRouterGroup } from './routing/outbound-router.subscription.ts';
export { createSessionControlRouter, type LocalSessionControl } from './control/session-control.router.ts';
export {
  createInstanceController,
  type InstanceController,
  type InstanceControllerOptions,
  type ReconcileOutcome,
} from './controller/instance-controller.ts';
