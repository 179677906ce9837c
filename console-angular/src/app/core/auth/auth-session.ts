import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { ApiClient } from '../api/api-client';
import type { Account } from '../api/api-models';

/** Where versions before the refresh cookie kept both tokens; removed at start so no token stays in storage. */
const legacyStorageKey = 'console.session';

/**
 * The signed-in operator: the access token, the account, and refresh rotation. The access token is kept in memory
 * only and the refresh token is an httpOnly cookie the API sets (page script never sees it), so nothing an injected
 * script could read survives in storage. A reload starts without an access token and gets one from the cookie
 * (`restore`). Refreshing is single-flight: concurrent 401s share one POST /auth/refresh, because the API revokes
 * the whole token family when a refresh token is used twice.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly token = signal<string | null>(null);
  private refreshing: Promise<boolean> | null = null;

  readonly account = signal<Account | null>(null);
  readonly signedIn = computed(() => this.token() !== null);

  constructor() {
    localStorage.removeItem(legacyStorageKey);
  }

  accessToken(): string | null {
    return this.token();
  }

  async signIn(email: string, password: string): Promise<void> {
    this.token.set((await this.api.login({ email, password })).accessToken);
    await this.loadAccount();
  }

  /** Loads /auth/me; false when the session is gone (then the token is dropped). */
  async loadAccount(): Promise<boolean> {
    if (!this.token()) return false;
    try {
      this.account.set(await this.api.me());
      return true;
    } catch {
      // The interceptor already tried a refresh; whatever failed, this session cannot be used.
      this.clear();
      return false;
    }
  }

  /** After a reload: a session from the refresh cookie, with its account; false when there is none. */
  async restore(): Promise<boolean> {
    if (!this.token() && !(await this.refresh())) return false;
    return this.loadAccount();
  }

  /** Rotates the refresh cookie for a new access token; false when it was rejected (missing, expired, revoked, reused). */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.api
      .refresh()
      .then((tokens) => (this.token.set(tokens.accessToken), true))
      .catch(() => (this.clear(), false))
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    this.clear();
    // Revoking is best effort: the access token is already gone from this page.
    await this.api.logout().catch(() => undefined);
    await this.router.navigateByUrl('/login');
  }

  /** Drops the session after the API refused it (used by the interceptor). */
  expire(): void {
    this.clear();
    void this.router.navigate(['/login'], { queryParams: { expired: 1 } });
  }

  private clear(): void {
    this.token.set(null);
    this.account.set(null);
  }
}
