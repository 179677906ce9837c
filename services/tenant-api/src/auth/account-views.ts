import type { BusinessView, UserView } from './auth.schema.ts';

interface UserRecord {
  id: string;
  email: string;
  role: UserView['role'];
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

interface BusinessRecord {
  id: string;
  name: string;
  timezone: string;
  botEnabled: boolean;
  objective: 'SALES' | 'APPOINTMENTS';
  createdAt: Date;
}

/** What the API shows of a user: never the password hash. */
export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toBusinessView(business: BusinessRecord): BusinessView {
  return {
    id: business.id,
    name: business.name,
    timezone: business.timezone,
    botEnabled: business.botEnabled,
    objective: business.objective,
    createdAt: business.createdAt.toISOString(),
  };
}

/** E-mail addresses are unique case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
