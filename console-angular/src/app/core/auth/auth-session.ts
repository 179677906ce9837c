import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { ApiClient } from '../api/api-client';
import type { Account, TokenPair } from '../api/api-models';

const storageKey = 'console.session';

interface StoredTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * The signed-in operator: tokens (kept in localStorage so a reload stays signed in), the account, and refresh
 * rotation. Refreshing is single-flight: concurrent 401s share one POST /auth/refresh, because the API revokes
 * the whole token family when a refresh token is used twice.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly tokens = signal<StoredTokens | null>(readStoredTokens());
  private refreshing: Promise<boolean> | null = null;

  readonly account = signal<Account | null>(null);
  readonly signedIn = computed(() => this.tokens() !== null);

  accessToken(): string | null {
    return this.tokens()?.accessToken ?? null;
  }

  async signIn(email: string, password: string): Promise<void> {
    this.store(await this.api.login({ email, password }));
    await this.loadAccount();
  }

  /** Loads /auth/me; false when the session is gone (then the tokens are dropped). */
  async loadAccount(): Promise<boolean> {
    if (!this.tokens()) return false;
    try {
      this.account.set(await this.api.me());
      return true;
    } catch {
      // The interceptor already tried a refresh; whatever failed, this session cannot be used.
      this.clear();
      return false;
    }
  }

  /** Rotates the refresh token; false when it was rejected (expired, revoked, reused). */
  refresh(): Promise<boolean> {
    const current = this.tokens();
    if (!current) return Promise.resolve(false);
    this.refreshing ??= this.api
      .refresh(current.refreshToken)
      .then((pair) => (this.store(pair), true))
      .catch(() => (this.clear(), false))
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    const current = this.tokens();
    this.clear();
    if (current) {
      // Revoking is best effort: the tokens are already gone from this browser.
      await this.api.logout(current.refreshToken).catch(() => undefined);
    }
    await this.router.navigateByUrl('/login');
  }

  /** Drops the session after the API refused it (used by the interceptor). */
  expire(): void {
    this.clear();
    void this.router.navigate(['/login'], { queryParams: { expired: 1 } });
  }

  private store(pair: TokenPair): void {
    const tokens = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    this.tokens.set(tokens);
    localStorage.setItem(storageKey, JSON.stringify(tokens));
  }

  private clear(): void {
    this.tokens.set(null);
    this.account.set(null);
    localStorage.removeItem(storageKey);
  }
}

function readStoredTokens(): StoredTokens | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Partial<StoredTokens> | null;
    return parsed?.accessToken && parsed.refreshToken ? { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken } : null;
  } catch {
    // A corrupt entry is the same as none.
    return null;
  }
}
