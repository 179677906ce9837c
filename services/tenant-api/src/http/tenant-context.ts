import type { Response } from 'express';
import { AppError } from '@app/runtime/service';

export type UserRole = 'OWNER' | 'AGENT' | 'SUPER_ADMIN';

/** Who is calling, from the verified access token. Every repository takes it and scopes its queries by businessId. */
export interface TenantContext {
  businessId: string;
  userId: string;
  role: UserRole;
}

const localsKey = 'tenant';

export function setTenantContext(response: Response, tenant: TenantContext): void {
  response.locals[localsKey] = tenant;
}

export function tenantOf(response: Response): TenantContext {
  const tenant = response.locals[localsKey] as TenantContext | undefined;
  // A route that reads the tenant without the auth middleware in front is a programming error, not a 500 leak.
  if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return tenant;
}
