// @app/baileys-sessions/control: what a caller of the session pods needs, without loading Baileys.
export { createRemoteSessionControl, type RemoteSessionControl, type RemoteSessionControlOptions } from './remote-session-control.ts';
export { sessionControlPaths } from './session-control.router.ts';
