import type { PrismaClient, SecretBox } from '@app/db';
import { SessionError, type SessionStatus } from '@app/domain';
import type { Logger } from '@app/runtime/service';
import type { AuthStateStore } from '../auth-state/auth-state-store.ts';
import { loadAuthenticationState } from '../auth-state/authentication-state.ts';
import type { SentMessageRepository } from '../delivery/sent-message.repository.ts';
import type { HeldLease, SessionLeaseRepository } from '../lease/session-lease.repository.ts';
import { defaultWatchdogConfig, type WatchdogConfig } from '../watchdog/session-watchdog.ts';
import { defaultBackoff, type BackoffPolicy } from './backoff.ts';
import { InstanceSession, type SessionEventHandlers } from './instance-session.ts';
import type { SocketFactory } from './session-socket.ts';
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
  /**
   * How often the host looks for session starts requested while it could not be reached (a new pod before its
   * address resolves) and for sessions of deleted instances.
   */
  requestSweepMs: number;
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
  requestSweepMs: 10_000,
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
  /** Messages the sessions sent, for resends (Baileys' `getMessage`); without it only Baileys' 5-minute cache answers. */
  sentMessages?: SentMessageRepository;
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
  /** The `Instance.sessionRequestedAt` this host acted on (ms); a different value in the database is a new request. */
  handledRequest: number | null;
  /** Creation order: the request sweep only prunes entries older than what it read. */
  sequence: number;
}

/**
 * Runs the Baileys sessions of this host's slots: one `InstanceSession` each, connected only while this host holds
 * the instance's lease (renewed; dropped at once when lost). Paired sessions come back after a restart, staggered.
 *
 * A start request is durable: `restart` records `Instance.sessionRequestedAt` (the remote control records it too
 * when the pod cannot be reached yet), so a host that boots — or finds a new request in its periodic sweep — also
 * starts requested sessions that were never paired (QR flow). The request is cleared by a logout and when the
 * session ends by itself (logged out, replaced, refused, left unscanned).
 */
export class SessionHost {
  private readonly entries = new Map<string, Entry>();
  private readonly config: SessionHostConfig;
  private readonly timers: Timers;
  private readonly random: () => number;
  private stopped = false;
  private sweepTimer: TimerHandle | undefined;
  private sweeping: Promise<void> = Promise.resolve();
  private entrySequence = 0;

  constructor(private readonly deps: SessionHostDependencies) {
    this.config = { ...defaultSessionHostConfig, ...deps.config };
    this.timers = deps.timers ?? systemTimers;
    this.random = deps.random ?? Math.random;
  }

  /**
   * Resumes every paired BAILEYS session of this host's slots and starts every requested one (paired or not),
   * staggered; then sweeps for new requests every `requestSweepMs`. Unrequested unpaired ones wait for a request.
   */
  async start(): Promise<void> {
    const instances = await this.slotInstances();
    let index = 0;
    for (const instance of instances) {
      const entry = this.entryFor(instance.id);
      entry.handledRequest = instance.sessionRequestedAt?.getTime() ?? null;
      if (!instance.sessionRequestedAt && !(await this.deps.authStore.hasCreds(instance.id))) continue;
      this.startStaggered(instance.id, entry, index++);
    }
    this.deps.logger.info(
      { event: 'baileys_host.started', hostId: this.deps.hostId, sessions: instances.length, resuming: index },
      'session host started',
    );
    this.scheduleSweep();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.sweepTimer);
    await this.sweeping;
    await Promise.all([...this.entries.keys()].map((instanceId) => this.park(instanceId)));
  }

  /** How many sessions this host keeps an entry for (bounded by the instances of its slots). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * One pass of the request sweep: starts sessions requested since this host last looked (their pod was not
   * reachable when the request was made), and drops the sessions of instances that no longer exist here.
   */
  async sweepRequests(): Promise<void> {
    const readAt = this.entrySequence;
    const instances = await this.slotInstances();
    if (this.stopped) return;
    const present = new Set<string>();
    let index = 0;
    for (const instance of instances) {
      present.add(instance.id);
      const requestedAt = instance.sessionRequestedAt?.getTime() ?? null;
      const entry = this.entries.get(instance.id);
      if (requestedAt === null || (entry && entry.handledRequest === requestedAt)) continue;
      const requested = entry ?? this.entryFor(instance.id);
      requested.handledRequest = requestedAt;
      // Running already (the request reached it another way): nothing to do.
      if (requested.wanted) continue;
      this.deps.logger.info(
        { event: 'baileys_host.requested_start', instanceId: instance.id },
        'starting a session requested while this host was not reachable',
      );
      this.startStaggered(instance.id, requested, index++);
    }
    for (const [instanceId, entry] of this.entries) {
      if (present.has(instanceId) || entry.sequence >= readAt) continue;
      // Deleted (or moved to another slot): stop it, give the lease back, forget it.
      entry.wanted = false;
      await this.park(instanceId);
      this.entries.delete(instanceId);
    }
  }

  /** This host's name in session leases. */
  get hostId(): string {
    return this.deps.hostId;
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

  /** Starts (or restarts) the session: a new QR when unpaired, a resume when paired. The request is recorded. */
  async restart(instanceId: string): Promise<SessionStatus> {
    if (!(await this.isMine(instanceId))) throw new SessionError('SESSION_NOT_FOUND', 'No Baileys session for this instance runs here.');
    const entry = this.entryFor(instanceId);
    const requestedAt = this.timers.now();
    // Handled before it is written: the sweep must not take this request for one made elsewhere.
    entry.handledRequest = requestedAt.getTime();
    entry.wanted = true;
    await this.deps.prisma.instance.updateMany({ where: { id: instanceId }, data: { sessionRequestedAt: requestedAt } });
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
    entry.handledRequest = null;
    await this.deps.prisma.instance.updateMany({ where: { id: instanceId }, data: { sessionRequestedAt: null } });
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
      getMessage: async (key) => {
        if (!key.id || !this.deps.sentMessages) return undefined;
        return this.deps.sentMessages.find(instanceId, key.id, this.timers.now());
      },
    });
    entry = {
      session,
      wanted: false,
      lease: null,
      leaseTimer: undefined,
      persistedState: null,
      statusWrites: Promise.resolve(),
      handledRequest: null,
      sequence: this.entrySequence++,
    };
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
      this.forgetRequest(status.instanceId, entry);
    }
    if (entry.persistedState !== status.state && !this.stopped) {
      entry.persistedState = status.state;
      const state = status.state;
      // Fire-and-forget writes could commit out of order and leave an old state ("connecting") on record.
      entry.statusWrites = entry.statusWrites.then(() =>
        this.deps.prisma.instance
          .updateMany({ where: { id: status.instanceId }, data: { status: state } })
          .then(() => undefined)
          .catch((error: unknown) =>
            this.deps.logger.warn({ event: 'baileys_host.status_write_failed', err: error }, 'could not record the session status'),
          ),
      );
    }
    this.deps.handlers?.onStatus?.(status);
  }

  /** The session ended by itself: its request is done, unless a newer one came in meanwhile (compare and clear). */
  private forgetRequest(instanceId: string, entry: Entry): void {
    const handled = entry.handledRequest;
    if (handled === null) return;
    entry.statusWrites = entry.statusWrites.then(() =>
      this.deps.prisma.instance
        .updateMany({ where: { id: instanceId, sessionRequestedAt: new Date(handled) }, data: { sessionRequestedAt: null } })
        .then(() => undefined)
        .catch((error: unknown) =>
          this.deps.logger.warn({ event: 'baileys_host.request_clear_failed', err: error }, 'could not clear the session request'),
        ),
    );
  }

  private startStaggered(instanceId: string, entry: Entry, index: number): void {
    entry.wanted = true;
    const delayMs = Math.round(index * this.config.startStaggerMs * (1 + 0.5 * this.random()));
    this.timers.clearTimeout(entry.leaseTimer);
    entry.leaseTimer = this.timers.setTimeout(() => void this.acquireAndRun(instanceId), delayMs);
  }

  private scheduleSweep(): void {
    if (this.stopped) return;
    this.sweepTimer = this.timers.setTimeout(() => {
      this.sweeping = this.sweepRequests()
        .catch((error: unknown) =>
          this.deps.logger.warn({ event: 'baileys_host.sweep_failed', err: error }, 'request sweep failed; retried next period'),
        )
        .finally(() => this.scheduleSweep());
    }, this.config.requestSweepMs);
  }

  private slotInstances() {
    return this.deps.prisma.instance.findMany({
      where: { provider: 'BAILEYS', ...(this.config.slots ? { slot: { in: this.config.slots } } : {}) },
      select: { id: true, sessionRequestedAt: true },
      orderBy: { slot: 'asc' },
    });
  }

  private async isMine(instanceId: string): Promise<boolean> {
    if (this.entries.has(instanceId)) return true;
    const instance = await this.deps.prisma.instance.findUnique({ where: { id: instanceId }, select: { provider: true, slot: true } });
    if (!instance || instance.provider !== 'BAILEYS') return false;
    return !this.config.slots || (instance.slot !== null && this.config.slots.includes(instance.slot));
  }
}
