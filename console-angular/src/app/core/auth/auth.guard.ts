import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { AuthSession } from './auth-session';

/** Signed-in pages: loads the account once (after a reload, from the refresh cookie), or sends the visitor to the login page. */
export const signedInGuard: CanActivateFn = async () => {
  const session = inject(AuthSession);
  const router = inject(Router);
  if (session.account()) return true;
  if (await session.restore()) return true;
  return router.createUrlTree(['/login']);
};

/** Login and registration pages: a signed-in operator (after a reload too) goes straight to the inbox. */
export const signedOutGuard: CanActivateFn = async () => {
  const session = inject(AuthSession);
  const router = inject(Router);
  return session.signedIn() || (await session.restore()) ? router.createUrlTree(['/inbox']) : true;
};
