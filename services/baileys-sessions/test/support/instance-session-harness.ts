import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createLogger } from '@app/runtime/service';
import { loadAuthenticationState } from '../../src/auth-state/authentication-state.ts';
import { InstanceSession, type SessionEventHandlers } from '../../src/session/instance-session.ts';
import type { WatchdogConfig } from '../../src/watchdog/session-watchdog.ts';
import { FakeSocketFactory } from './fake-socket.ts';
import { FakeTimers } from './fake-timers.ts';
import { createMemoryAuthStateStore } from './memory-auth-state-store.ts';

const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
const logger = createLogger({ service: 'baileys-sessions-test', level: 'silent' });

export interface InstanceSessionHarnessOptions {
  instanceId: string;
  handlers: SessionEventHandlers;
  /** The auth state of an earlier session (a restart), or a fresh one. */
  store?: ReturnType<typeof createMemoryAuthStateStore>;
  watchdog?: Partial<WatchdogConfig>;
}

/** One InstanceSession on the fake socket and fake timers, with the settings the session tests share. */
export function createInstanceSessionHarness(options: InstanceSessionHarnessOptions) {
  const { instanceId } = options;
  const timers = new FakeTimers();
  const store = options.store ?? createMemoryAuthStateStore();
  const factory = new FakeSocketFactory({ now: () => timers.now().getTime() });
  const session = new InstanceSession({
    instanceId,
    socketFactory: factory,
    loadAuthState: () => loadAuthenticationState({ store, instanceId, secretBox }),
    timers,
    random: () => 0,
    logger,
    backoff: { baseMs: 1_000, maxMs: 30_000, jitter: 0.5 },
    watchdog: { checkIntervalMs: 30_000, maxSilenceMs: 120_000, pingTimeoutMs: 10_000, maxFailedPings: 2, ...options.watchdog },
    handlers: options.handlers,
  });
  return { timers, store, factory, session };
}
