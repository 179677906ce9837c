// @app/baileys-sessions/control: what a caller of the session pods needs, without loading Baileys.
export { createRemoteSessionControl, type RemoteSessionControl, type RemoteSessionControlOptions, type RemoteSessionStatus } from './remote-session-control.ts';
export { sessionControlPaths } from './session-control.router.ts';
// The per-instance sending settings tenant-api validates and stores (the egress reads them).
export {
  applySendingSettingsPatch,
  readSendingSettings,
  sendingSettingsPatchSchema,
  sendingSettingsSchema,
  type SendingSettings,
  type SendingSettingsPatch,
} from '../governor/sending-settings.ts';
