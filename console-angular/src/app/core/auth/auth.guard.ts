import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { AuthSession } from './auth-session';

/** Signed-in pages: loads the account once, or sends the visitor to the login page. */
export const signedInGuard: CanActivateFn = async () => {
  const session = inject(AuthSession);
  const router = inject(Router);
  if (session.account()) return true;
  if (session.signedIn() && (await session.loadAccount())) return true;
  return router.createUrlTree(['/login']);
};

/** Login and registration pages: a signed-in operator goes straight to the inbox. */
export const signedOutGuard: CanActivateFn = () => {
  const session = inject(AuthSession);
  return session.signedIn() ? inject(Router).createUrlTree(['/inbox']) : true;
};
