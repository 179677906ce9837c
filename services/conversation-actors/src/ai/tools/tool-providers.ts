import type { PrismaClient } from '@app/db';
import type { ReplyComposer, ToolProvider } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';

export interface ToolProviderDependencies {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
}

/** Every source of the agent's tools, asked in this order once per reply. One line per feature. */
export function createToolProviders(_dependencies: ToolProviderDependencies): ToolProvider[] {
  return [];
}

/**
 * How the model's final text becomes the reply's messages (media URLs and library shortcodes → media parts). The
 * default sends the text as one message.
 */
export function createReplyComposer(_dependencies: ToolProviderDependencies): ReplyComposer {
  return { compose: async (text) => [{ kind: 'text', text }] };
}
