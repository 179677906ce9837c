import type { PrismaClient, SecretBox } from '@app/db';
import type { Logger } from '@app/runtime';
import type { AuthStateStore } from '../auth-state/auth-state-store.ts';
import { loadAuthenticationState } from '../auth-state/authentication-state.ts';
import type { HeldLease, SessionLeaseRepository } from '../lease/session-lease.repository.ts';
import { defaultWatchdogConfig, type WatchdogConfig } from '../watchdog/session-watchdog.ts';
import { defaultBackoff, type BackoffPolicy } from './backoff.ts';
import { InstanceSession, type SessionEventHandlers } from './instance-session.ts';
import { SessionError } from './session-error.ts';
import type { SocketFactory } from './session-socket.ts';
import type { SessionStatus } from './session-status.ts';
import { systemTimers, type TimerHandle, type Timers } from './timers.ts';

export interface SessionHostConfig {
  backoff: BackoffPolicy;
  watchdog: WatchdogConfig;
  /** A lease lasts this long unless renewed … */
  leaseTtlMs: number;
  /** … and is renewed this often. A host that could not renew for `leaseTtlMs - leaseSafetyMs` drops the socket. */
  leaseRenewMs: number;
  leaseSafetyMs: number;
  /** How often a host that is refused a lease asks again (the holder may have died). */
  leaseRetryMs: number;
  /** After a restart, the n-th session starts n × this (plus jitter) later: no reconnect storm. */
  startStaggerMs: number;
  /** Slots this host runs (Kubernetes: the pod ordinal); null = every slot (standalone). */
  slots: number[] | null;
}

export const defaultSessionHostConfig: SessionHostConfig = {
  backoff: defaultBackoff,
  watchdog: defaultWatchdogConfig,
  leaseTtlMs: 30_000,
  leaseRenewMs: 10_000,
  leaseSafetyMs: 5_000,
  leaseRetryMs: 15_000,
  startStaggerMs: 1_500,
  slots: null,
};

export interface SessionHostDependencies {
  prisma: PrismaClient;
  /** Unique per process (pod name + a random suffix). */
  hostId: string;
  socketFactory: SocketFactory;
  authStore: AuthStateStore;
  secretBox: SecretBox;
  leases: SessionLeaseRepository;
  logger: Logger;
  handlers?: SessionEventHandlers;
  config?: Partial<SessionHostConfig>;
  timers?: Timers;
  random?: () => number;
}

interface Entry {
  session: InstanceSession;
  /** The session should be connected (paired at boot, or started on request). */
  wanted: boolean;
  lease: HeldLease | null;
  leaseTimer: TimerHandle | undefined;
  persistedState: string | null;
  /** Status writes of this session, chained so they reach the database in the order the states happened. */
  statusWrites: Promise<void>;
}

/**
 * Runs the Baileys sessions of this host's slots: one `InstanceSession` each, connected only while this host holds
 * the instance's lease (renewed; dropped at once when lost). Paired sessions come back after a restart, staggered.
 */
export class SessionHost {
  private readonly entries = new Map<string, Entry>();
  private readonly config: SessionHostConfig;
  private readonly timers: Timers;
  private readonly random: () => number;
  private stopped = false;
  private startTimers: TimerHandle[] = [];

  constructor(private readonly deps: SessionHostDependencies) {
    this.config = { ...defaultSessionHostConfig, ...deps.config };
    this.timers = deps.timers ?? systemTimers;
    this.random = deps.random ?? Math.random;
  }

  /** Resumes every paired BAILEYS session of this host's slots, staggered. Unpaired ones wait for a request. */
  async start(): Promise<void> {
    const instances = await this.deps.prisma.instance.findMany({
      where: { provider: 'BAILEYS', ...(this.config.slots ? { slot: { in: this.config.slots } } : {}) },
      select: { id: true },
      orderBy: { slot: 'asc' },
    });
    let index = 0;
    for (const instance of instances) {
      const entry = this.entryFor(instance.id);
      if (!(await this.deps.authStore.hasCreds(instance.id))) continue;
      entry.wanted = true;
      const delayMs = Math.round(index++ * this.config.startStaggerMs * (1 + 0.5 * this.random()));
      this.startTimers.push(this.timers.setTimeout(() => void this.acquireAndRun(instance.id), delayMs));
    }
    this.deps.logger.info({ event: 'baileys_host.started', hostId: this.deps.hostId, sessions: instances.length, resuming: index }, 'session host started');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.startTimers) this.timers.clearTimeout(timer);
    await Promise.all([...this.entries.keys()].map((instanceId) => this.park(instanceId)));
  }

  /** The running session of an instance (for sending), if this host runs it. */
  session(instanceId: string): InstanceSession | undefined {
    return this.entries.get(instanceId)?.session;
  }

  // SessionControl (what tenant-api calls) ---------------------------------------------------------------

  async status(instanceId: string): Promise<SessionStatus | null> {
    if (!(await this.isMine(instanceId))) return null;
    return this.entryFor(instanceId).session.status();
  }

  /** Starts (or restarts) the session: a new QR when unpaired, a resume when paired. */
  async restart(instanceId: string): Promise<SessionStatus> {
    if (!(await this.isMine(instanceId))) throw new SessionError('SESSION_NOT_FOUND', 'No Baileys session for this instance runs here.');
    const entry = this.entryFor(instanceId);
    entry.wanted = true;
    if (entry.lease) await entry.session.restart();
    else await this.acquireAndRun(instanceId);
    return entry.session.status();
  }

  async requestPairingCode(instanceId: string, phoneNumber: string): Promise<SessionStatus> {
    const entry = this.entries.get(instanceId);
    if (!entry) throw new SessionError('SESSION_NOT_FOUND', 'Start the session first.');
    await entry.session.requestPairingCode(phoneNumber);
    return entry.session.status();
  }

  async logout(instanceId: string): Promise<SessionStatus> {
    if (!(await this.isMine(instanceId))) throw new SessionError('SESSION_NOT_FOUND', 'No Baileys session for this instance runs here.');
    const entry = this.entryFor(instanceId);
    entry.wanted = false;
    await entry.session.logout();
    return entry.session.status();
  }

  // Leases -----------------------------------------------------------------------------------------------

  private async acquireAndRun(instanceId: string): Promise<void> {
    const entry = this.entries.get(instanceId);
    if (!entry || this.stopped || !entry.wanted) return;
    this.timers.clearTimeout(entry.leaseTimer);
    let lease: HeldLease | null = null;
    try {
      lease = await this.deps.leases.acquire(instanceId, this.deps.hostId, this.timers.now(), this.config.leaseTtlMs);
    } catch (error) {
      this.deps.logger.warn({ event: 'baileys_host.lease_error', instanceId, err: error }, 'lease acquisition failed');
    }
    if (this.stopped || !entry.wanted) {
      if (lease) await this.deps.leases.release(lease);
      return;
    }
    if (!lease) {
      entry.leaseTimer = this.timers.setTimeout(() => void this.acquireAndRun(instanceId), this.config.leaseRetryMs);
      return;
    }
    entry.lease = lease;
    this.scheduleRenewal(instanceId, entry);
    await entry.session.start();
  }

  private scheduleRenewal(instanceId: string, entry: Entry): void {
    entry.leaseTimer = this.timers.setTimeout(() => void this.renew(instanceId, entry), this.config.leaseRenewMs);
  }

  private async renew(instanceId: string, entry: Entry): Promise<void> {
    const lease = entry.lease;
    if (!lease || this.stopped) return;
    const now = this.timers.now();
    let renewed: HeldLease | null | 'error' = null;
    try {
      renewed = await this.deps.leases.renew(lease, now, this.config.leaseTtlMs);
    } catch (error) {
      renewed = 'error';
      this.deps.logger.warn({ event: 'baileys_host.lease_renew_error', instanceId, err: error }, 'lease renewal failed');
    }
    if (entry.lease !== lease) return;
    if (renewed && renewed !== 'error') {
      entry.lease = renewed;
      this.scheduleRenewal(instanceId, entry);
      return;
    }
    // Unreachable database: keep the socket only while the lease surely is still ours (own clock, safety margin).
    const deadline = lease.expiresAt.getTime() - this.config.leaseSafetyMs;
    if (renewed === 'error' && this.timers.now().getTime() < deadline) {
      this.scheduleRenewal(instanceId, entry);
      return;
    }
    this.deps.logger.warn({ event: 'baileys_host.lease_lost', instanceId, hostId: this.deps.hostId }, 'lease lost: socket dropped');
    entry.lease = null;
    await entry.session.stop('lease-lost');
    entry.leaseTimer = this.timers.setTimeout(() => void this.acquireAndRun(instanceId), this.config.leaseRetryMs);
  }

  /** Stops the session and gives its lease back. */
  private async park(instanceId: string): Promise<void> {
    const entry = this.entries.get(instanceId);
    if (!entry) return;
    this.timers.clearTimeout(entry.leaseTimer);
    await entry.session.stop();
    const lease = entry.lease;
    entry.lease = null;
    if (lease) await this.deps.leases.release(lease).catch(() => undefined);
  }

  // Entries ----------------------------------------------------------------------------------------------

  private entryFor(instanceId: string): Entry {
    let entry = this.entries.get(instanceId);
    if (entry) return entry;
    const session = new InstanceSession({
      instanceId,
      socketFactory: this.deps.socketFactory,
      loadAuthState: () => loadAuthenticationState({ store: this.deps.authStore, instanceId, secretBox: this.deps.secretBox }),
      timers: this.timers,
      random: this.random,
      logger: this.deps.logger,
      backoff: this.config.backoff,
      watchdog: this.config.watchdog,
      handlers: { ...this.deps.handlers, onStatus: (status) => this.onStatus(status) },
    });
    entry = { session, wanted: false, lease: null, leaseTimer: undefined, persistedState: null, statusWrites: Promise.resolve() };
    this.entries.set(instanceId, entry);
    return entry;
  }

  private onStatus(status: SessionStatus): void {
    const entry = this.entries.get(status.instanceId);
    if (!entry) return;
    // A session that ended by itself (logged out, replaced, banned, unscanned) gives its lease back.
    if ((status.state === 'logged-out' || (status.state === 'stopped' && status.stopReason && status.stopReason !== 'lease-lost')) && entry.lease) {
      entry.wanted = false;
      const lease = entry.lease;
      entry.lease = null;
      this.timers.clearTimeout(entry.leaseTimer);
      void this.deps.leases.release(lease).catch(() => undefined);
    }
    if (entry.persistedState !== status.state && !this.stopped) {
      entry.persistedState = status.state;
      const state = status.state;
      // Fire-and-forget writes could commit out of order and leave an old state ("connecting") on record.
      entry.statusWrites = entry.statusWrites.then(() =>
        this.deps.prisma.instance
          .updateMany({ where: { id: status.instanceId }, data: { status: state } })
          .then(() => undefined)
          .catch((error: unknown) => this.deps.logger.warn({ event: 'baileys_host.status_write_failed', err: error }, 'could not record the session status')),
      );
    }
    this.deps.handlers?.onStatus?.(status);
  }

  private async isMine(instanceId: string): Promise<boolean> {
    if (this.entries.has(instanceId)) return true;
    const instance = await this.deps.prisma.instance.findUnique({ where: { id: instanceId }, select: { provider: true, slot: true } });
    if (!instance || instance.provider !== 'BAILEYS') return false;
    return !this.config.slots || (instance.slot !== null && this.config.slots.includes(instance.slot));
  }
}
