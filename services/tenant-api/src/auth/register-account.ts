import { AppError, type Logger } from '@app/runtime/service';
import type { PrismaClient } from '@app/db';
import { isUniqueViolation } from '../unique-violation.ts';
import { normalizeEmail, toBusinessView, toUserView } from './account-views.ts';
import type { BusinessView, UserView } from './auth.schema.ts';
import type { EmailVerification } from './email-verification.ts';
import type { PasswordHasher } from './password-hasher.ts';

export interface RegisterAccountInput {
  email: string;
  password: string;
  businessName: string;
}

/** Creates the business, its owner and the default agent settings in one write, then sends the verification mail. */
export async function registerAccount(
  deps: { prisma: PrismaClient; logger: Logger; passwords: PasswordHasher; verification: EmailVerification },
  input: RegisterAccountInput,
): Promise<{ user: UserView; business: BusinessView }> {
  const email = normalizeEmail(input.email);
  const existing = await deps.prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw emailTaken();
  const passwordHash = await deps.passwords.hash(input.password);
  let created;
  try {
    created = await deps.prisma.business.create({
      data: {
        name: input.businessName,
        users: { create: { email, passwordHash, role: 'OWNER' } },
        agentConfig: { create: {} },
      },
      include: { users: true },
    });
  } catch (error) {
    // Two registrations racing for one address: the unique index decides.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  const owner = created.users[0]!;
  deps.logger.info({ event: 'auth.registered', businessId: created.id, userId: owner.id }, 'business registered');
  await deps.verification.sendVerification({ id: owner.id, email: owner.email });
  return { user: toUserView(owner), business: toBusinessView(created) };
}

function emailTaken(): AppError {
  return new AppError('CONFLICT', 'An account with this e-mail address already exists.', { field: 'email' });
}
