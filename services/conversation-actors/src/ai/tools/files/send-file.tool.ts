import type { PrismaClient } from '@app/db';
import type { AgentTool, ToolProvider, ToolSet } from '@app/domain';
import { findByTitle, libraryFilePart, loadActiveFiles, type LibraryFile } from './library-files.ts';

export const sendFileToolName = 'send_file';

/**
 * The files library as a tool: `send_file` sends one active file of the business with the reply, and the prompt
 * lists the files with their keywords and context so the model knows when to send which. Sending happens with the
 * reply's own messages (exactly once already), so the call itself has no side effect. A business without active
 * files gets neither the tool nor the notes.
 */
export function createFileToolProvider(dependencies: { prisma: PrismaClient }): ToolProvider {
  return {
    async load(scope): Promise<ToolSet> {
      const files = await loadActiveFiles(dependencies.prisma, scope.businessId);
      if (files.length === 0) return { tools: [] };
      return { tools: [sendFileTool(files)], promptNotes: [filesPromptNote(files)] };
    },
  };
}

function sendFileTool(files: LibraryFile[]): AgentTool {
  return {
    name: sendFileToolName,
    description:
      "Sends one file from the business's files library (a document, image, audio or video) to the customer with your reply. " +
      'Name the file by its title exactly as listed in the files section of your instructions (titles may be in any language), or by its id. ' +
      'Do not paste links to the file; call this tool. Call it once per file.',
    parameters: {
      type: 'object',
      properties: {
        title: { type: 'string', description: 'The title of the file, as listed.' },
        fileId: { type: 'string', description: 'The id of the file, as listed (instead of the title).' },
        caption: { type: 'string', maxLength: 1000, description: 'Optional short text shown with an image, video or document.' },
      },
      additionalProperties: false,
    },
    sideEffects: false,
    timeoutMs: 5_000,
    async run(args) {
      const fileId = typeof args['fileId'] === 'string' ? args['fileId'].trim() : '';
      const title = typeof args['title'] === 'string' ? args['title'] : '';
      const caption = typeof args['caption'] === 'string' && args['caption'].trim() ? args['caption'].trim() : undefined;
      const file = (fileId ? files.find((candidate) => candidate.id === fileId) : undefined) ?? (title ? findByTitle(files, title) : null);
      if (!file) {
        const asked = fileId || title ? `No file matches ${JSON.stringify(fileId || title)}.` : 'Give the title (or id) of the file to send.';
        return { ok: false, error: `${asked} Available titles: ${files.map((candidate) => JSON.stringify(candidate.title)).join(', ')}.` };
      }
      // A caption goes only where WhatsApp shows one (not on audio).
      const part = libraryFilePart(file, file.kind === 'audio' ? undefined : caption);
      return { ok: true, result: { sent: file.title, kind: file.kind, filename: file.filename }, send: [part] };
    },
  };
}

/** One line per file, in the operator's order: title, id, kind, keywords and when to send it. */
export function filesPromptNote(files: LibraryFile[]): string {
  const lines = files.map((file) => {
    const keywords = file.triggerKeywords.length > 0 ? `; keywords: ${file.triggerKeywords.join(', ')}` : '';
    const context = file.triggerContext ? `; send when: ${file.triggerContext}` : '';
    return `- "${file.title}" (id ${file.id}, ${file.kind}${keywords}${context})`;
  });
  return [`Files you can send with the ${sendFileToolName} tool (or by writing [[file:<title>]] in your reply where it should go):`, ...lines].join(
    '\n',
  );
}
