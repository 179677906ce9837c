import { z } from 'zod';

const email = z.email().max(254).describe('Compared case-insensitively; stored in lower case.');
const password = z.string().min(8).max(256);

export const registerBodySchema = z.object({
  email,
  password,
  businessName: z.string().trim().min(1).max(120),
});

export const loginBodySchema = z.object({
  email,
  password: z.string().min(1).max(256),
  refreshTokenInBody: z
    .boolean()
    .optional()
    .describe(
      'For API clients: return the refresh token in the body instead of setting the httpOnly refresh_token cookie (a browser leaves this out).',
    ),
});
export const resendVerificationBodySchema = z.object({ email });
export const refreshBodySchema = z.object({
  refreshToken: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'An API client sends its refresh token here; a browser sends none and the refresh_token cookie is used (the request must then be JSON).',
    ),
});
export const verifyEmailQuerySchema = z.object({ token: z.string().min(1).max(200) });

export const userViewSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(['OWNER', 'AGENT', 'SUPER_ADMIN']),
  emailVerified: z.boolean(),
  createdAt: z.string(),
});

export const businessViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  timezone: z.string(),
  botEnabled: z.boolean(),
  objective: z.enum(['SALES', 'APPOINTMENTS']).describe('Decides the agent’s built-in tools and the console’s pages.'),
  createdAt: z.string(),
});

export const registerResponseSchema = z.object({ user: userViewSchema, business: businessViewSchema });
export const meResponseSchema = registerResponseSchema;

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z
    .string()
    .optional()
    .describe(
      'Opaque; single use: every refresh returns a new one and revokes the old. Only in the body for API clients (login with refreshTokenInBody, or a refresh that sent its token in the body); a browser gets it as the httpOnly refresh_token cookie instead.',
    ),
  tokenType: z.literal('Bearer'),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
});

export const verifyEmailResponseSchema = z.object({ verified: z.literal(true), email: z.string() });
export const acceptedResponseSchema = z.object({ accepted: z.literal(true) });

export type UserView = z.infer<typeof userViewSchema>;
export type BusinessView = z.infer<typeof businessViewSchema>;
export type TokenPair = z.infer<typeof tokenPairSchema>;
