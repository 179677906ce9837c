import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { AuthSession } from './auth-session';

/** Routes that take no access token (and whose 401 means a wrong password, not an expired session). */
const publicPaths = [
  '/api/auth/login',
  '/api/auth/register',
  '/api/auth/refresh',
  '/api/auth/logout',
  '/api/auth/verify-email',
  '/api/auth/resend-verification',
];

/** Adds the bearer token to API calls; on a 401 it rotates the refresh token once and retries the request. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/') || publicPaths.some((path) => request.url.startsWith(path))) return next(request);
  const session = inject(AuthSession);
  const withToken = (original: HttpRequest<unknown>) => {
    const token = session.accessToken();
    return token ? original.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : original;
  };
  return next(withToken(request)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401) return throwError(() => error);
      return from(session.refresh()).pipe(
        switchMap((refreshed) => {
          if (!refreshed) {
            session.expire();
            return throwError(() => error);
          }
          return next(withToken(request));
        }),
      );
    }),
  );
};
