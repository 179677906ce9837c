import type { AgentTool, ToolProvider, ToolScope } from '@app/domain';
import type { Logger } from '@app/runtime/service';

/** What one reply may use: its tools by name, the prompt's extra lines, and what a trace must never show. */
export interface LoadedTools {
  tools: Map<string, AgentTool>;
  promptNotes: string[];
  secrets: string[];
}

/**
 * Asks every provider, in order, for its tools. Two tools of one name: the first wins (providers are ordered by
 * precedence in createToolProviders) and the other is logged, not offered — the model could not tell them apart.
 */
export async function loadTools(providers: readonly ToolProvider[], scope: ToolScope, logger: Logger): Promise<LoadedTools> {
  const loaded: LoadedTools = { tools: new Map(), promptNotes: [], secrets: [] };
  for (const provider of providers) {
    const set = await provider.load(scope);
    for (const tool of set.tools) {
      if (loaded.tools.has(tool.name)) {
        logger.warn({ event: 'ai_tools.duplicate_name', tool: tool.name }, 'two tools share a name; the first one is offered');
        continue;
      }
      loaded.tools.set(tool.name, tool);
    }
    loaded.promptNotes.push(...(set.promptNotes ?? []));
    loaded.secrets.push(...(set.secrets ?? []));
  }
  return loaded;
}
