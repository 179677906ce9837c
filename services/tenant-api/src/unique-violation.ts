/** Prisma reports a unique-constraint violation as P2002 (through driver adapters too). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
