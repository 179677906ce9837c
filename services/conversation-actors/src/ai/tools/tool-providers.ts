import type { PrismaClient } from '@app/db';
import type { ToolProvider } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { createSalesToolProvider } from './sales/sales-tools.ts';

export interface ToolProviderDependencies {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
}

/** Every source of the agent's tools, asked in this order once per reply. One line per feature. */
export function createToolProviders(dependencies: ToolProviderDependencies): ToolProvider[] {
  return [createSalesToolProvider(dependencies)];
}
