import { randomUUID } from 'node:crypto';
import { agentFileKindOf, agentFileObjectKey, mediaTypeOfFilename, storedMediaType, type AgentFileKind } from '@app/domain';
import type { PrismaClient } from '@app/db';
import type { ObjectStore, StoredObject } from '@app/runtime/ports';
import { AppError } from '@app/runtime/service';
import { fileTypeFromBuffer } from 'file-type';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import { safeFilename } from '../messages/media-response-headers.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { AgentFileView, UpdateFileInput } from './files.schema.ts';

export interface AgentFilesDependencies {
  prisma: PrismaClient;
  objectStore: ObjectStore;
}

export interface NewAgentFile {
  body: Buffer;
  filename: string;
  claimedType: string;
  title?: string | undefined;
  triggerKeywords: string[];
  triggerContext?: string | undefined;
  order?: number | undefined;
  active?: boolean | undefined;
}

type AgentFileRow = Awaited<ReturnType<PrismaClient['agentFile']['findFirstOrThrow']>>;

/**
 * The type a library file is stored as: what its bytes are. The client's type and the file name count only where
 * the bytes cannot tell (plain text and CSV have no signature; legacy Office files share one container). Null when
 * the library does not take it.
 */
export async function sniffLibraryFileType(
  body: Buffer,
  filename: string,
  claimedType: string,
): Promise<{ mimeType: string; kind: AgentFileKind } | null> {
  const detected = (await fileTypeFromBuffer(body))?.mime ?? null;
  const claimed = mediaTypeOfFilename(filename) ?? claimedType;
  const csv = claimed === 'text/csv';
  let mimeType = storedMediaType({ detected, claimed: csv ? 'text/plain' : claimed, body });
  if (mimeType === 'text/plain' && csv) mimeType = 'text/csv';
  const kind = agentFileKindOf(mimeType);
  return kind ? { mimeType: mimeType.split(';')[0]!.trim(), kind } : null;
}

/** The files library of one business: every query is scoped by the caller's business. */
export function createAgentFiles(dependencies: AgentFilesDependencies) {
  const { prisma, objectStore } = dependencies;

  async function find(tenant: TenantContext, id: string): Promise<AgentFileRow> {
    const file = await prisma.agentFile.findFirst({ where: { id, businessId: tenant.businessId } });
    if (!file) throw notFound('File');
    return file;
  }

  return {
    async list(tenant: TenantContext): Promise<AgentFileView[]> {
      const files = await prisma.agentFile.findMany({ where: { businessId: tenant.businessId }, orderBy: [{ order: 'asc' }, { title: 'asc' }] });
      return files.map(toView);
    },

    async get(tenant: TenantContext, id: string): Promise<AgentFileView> {
      return toView(await find(tenant, id));
    },

    async upload(tenant: TenantContext, input: NewAgentFile): Promise<AgentFileView> {
      if (input.body.length === 0) throw new AppError('VALIDATION_FAILED', 'The file is empty.', { reason: 'empty_file' });
      const sniffed = await sniffLibraryFileType(input.body, input.filename, input.claimedType);
      if (!sniffed) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'This type of file cannot be sent on WhatsApp. Upload a PDF, an image (JPEG, PNG, WebP), audio (OGG, MP3, M4A, AAC, AMR), video (MP4, 3GP) or an office document (DOCX, XLSX, PPTX, DOC, XLS, TXT, CSV).',
          { reason: 'unsupported_type' },
        );
      }
      const filename = safeFilename(input.filename) ?? 'file';
      const title = input.title ?? (filename.replace(/\.[^.]+$/, '').trim() || filename);
      await assertTitleFree(tenant, title);
      const id = randomUUID();
      const objectKey = agentFileObjectKey({ businessId: tenant.businessId, fileId: id, mimeType: sniffed.mimeType });
      await objectStore.put(objectKey, input.body, sniffed.mimeType);
      try {
        const file = await prisma.agentFile.create({
          data: {
            id,
            businessId: tenant.businessId,
            title,
            objectKey,
            mimeType: sniffed.mimeType,
            kind: sniffed.kind,
            sizeBytes: input.body.length,
            filename,
            triggerKeywords: input.triggerKeywords,
            triggerContext: input.triggerContext ?? '',
            order: input.order ?? 0,
            active: input.active ?? true,
          },
        });
        return toView(file);
      } catch (error) {
        // The row was refused (a concurrent upload took the title): the object must not stay behind.
        await objectStore.delete(objectKey);
        if (isUniqueViolation(error)) throw titleTaken(title);
        throw error;
      }
    },

    async update(tenant: TenantContext, id: string, input: UpdateFileInput): Promise<AgentFileView> {
      const file = await find(tenant, id);
      if (input.title !== undefined && input.title !== file.title) await assertTitleFree(tenant, input.title);
      try {
        return toView(await prisma.agentFile.update({ where: { id: file.id }, data: input }));
      } catch (error) {
        if (isUniqueViolation(error)) throw titleTaken(input.title ?? file.title);
        throw error;
      }
    },

    /** Deletes the row, then the object (a crash in between leaves an unreferenced object, never a dangling row). */
    async remove(tenant: TenantContext, id: string): Promise<void> {
      const file = await find(tenant, id);
      // The Cloud API ids of its uploads go with it: nothing can send the file any more.
      await prisma.$transaction([
        prisma.agentFile.delete({ where: { id: file.id } }),
        prisma.metaMediaUpload.deleteMany({ where: { objectKey: file.objectKey } }),
      ]);
      await objectStore.delete(file.objectKey);
    },

    async content(tenant: TenantContext, id: string): Promise<StoredObject & { filename: string }> {
      const file = await find(tenant, id);
      const stored = await objectStore.get(file.objectKey);
      if (!stored) throw new AppError('NOT_FOUND', 'The bytes of this file are missing from the object store.', { reason: 'file_missing' });
      return { body: stored.body, contentType: file.mimeType, filename: file.filename };
    },
  };

  async function assertTitleFree(tenant: TenantContext, title: string): Promise<void> {
    const taken = await prisma.agentFile.findFirst({ where: { businessId: tenant.businessId, title }, select: { id: true } });
    if (taken) throw titleTaken(title);
  }
}

export type AgentFiles = ReturnType<typeof createAgentFiles>;

function titleTaken(title: string): AppError {
  return new AppError('CONFLICT', `A file titled "${title}" already exists.`, { reason: 'title_taken', title });
}

function toView(file: AgentFileRow): AgentFileView {
  return {
    id: file.id,
    title: file.title,
    filename: file.filename,
    mimeType: file.mimeType,
    kind: file.kind as AgentFileView['kind'],
    sizeBytes: file.sizeBytes,
    triggerKeywords: file.triggerKeywords,
    triggerContext: file.triggerContext,
    order: file.order,
    active: file.active,
    createdAt: file.createdAt.toISOString(),
    updatedAt: file.updatedAt.toISOString(),
  };
}
