import type { PrismaClient } from '@app/db';
import { agentFilesPrefix, joinReplyParts, scanReplyText, type ReplyComposer, type ReplyPart, type ReplySegment, type ToolScope } from '@app/domain';
import type { Logger } from '@app/runtime/service';
import { findByTitle, libraryFilePart, loadActiveFiles, type LibraryFile } from './library-files.ts';
import { createMediaLinkCheck, type MediaLinkCheck } from './media-link-check.ts';

export interface ReplyComposerDependencies {
  prisma: PrismaClient;
  logger: Logger;
  /** Whether a media link may be sent as media; default: the bounded, public-https-only check. */
  checkLink?: MediaLinkCheck;
  /** The object store's bucket (Kubernetes); when set, an `s3://` reference to another bucket is not the business's. */
  bucket?: string;
}

/**
 * The real ReplyComposer: the model's final text → the messages to send, in order. Media links become media
 * messages when their check passes (else they stay plain links in the text); `[[file:<title>]]` and `s3://` references
 * to the business's own active library files become that file. A reference to nothing the business owns is dropped
 * from the text and recorded as a WARNING system event, so the operator sees what the agent tried to send.
 */
export function createReplyComposer(dependencies: ReplyComposerDependencies): ReplyComposer {
  const checkLink = dependencies.checkLink ?? createMediaLinkCheck();

  return {
    async compose(text: string, scope: ToolScope): Promise<ReplyPart[]> {
      const segments = scanReplyText(text);
      const needsLibrary = segments.some((segment) => segment.type === 'file' || segment.type === 'object');
      const files = needsLibrary ? await loadActiveFiles(dependencies.prisma, scope.businessId) : [];
      const pieces = await Promise.all(segments.map((segment) => resolve(segment, files, scope)));
      return joinReplyParts(pieces);
    },
  };

  async function resolve(segment: ReplySegment, files: LibraryFile[], scope: ToolScope): Promise<ReplyPart | null> {
    switch (segment.type) {
      case 'text':
        return { kind: 'text', text: segment.text };
      case 'link': {
        if (!(await checkLink(segment.url))) return { kind: 'text', text: segment.url };
        const filename = segment.kind === 'document' ? { filename: segment.filename } : {};
        return { kind: segment.kind, media: { url: segment.url, mimeType: segment.mimeType, ...filename } };
      }
      case 'file': {
        const file = findByTitle(files, segment.title);
        if (file) return libraryFilePart(file);
        await warn(scope, 'ai_reply.unknown_file', `The reply named a file that is not in the library (or not active): "${segment.title}".`, {
          title: segment.title,
          available: files.map((candidate) => candidate.title),
        });
        return null;
      }
      case 'object': {
        const own = segment.key.startsWith(agentFilesPrefix(scope.businessId)) && (!dependencies.bucket || segment.bucket === dependencies.bucket);
        const file = own ? files.find((candidate) => candidate.objectKey === segment.key) : undefined;
        if (file) return libraryFilePart(file);
        await warn(scope, 'ai_reply.unknown_object', 'The reply referred to a stored object that is not an active file of this business.', {
          reference: segment.source,
        });
        return null;
      }
    }
  }

  async function warn(scope: ToolScope, event: string, message: string, metadata: Record<string, string | string[]>): Promise<void> {
    dependencies.logger.warn({ event, businessId: scope.businessId, conversationId: scope.conversationId, ...metadata }, message);
    try {
      await dependencies.prisma.systemEvent.create({
        data: {
          businessId: scope.businessId,
          severity: 'WARNING',
          source: 'conversation-actors',
          event,
          message,
          metadata: { conversationId: scope.conversationId, contactId: scope.contactId, ...metadata },
        },
      });
    } catch (error) {
      // The reply still goes out without the reference; a lost warning is only logged.
      dependencies.logger.error({ event: 'ai_reply.system_event_failed', err: error }, 'could not record a system event');
    }
  }
}
