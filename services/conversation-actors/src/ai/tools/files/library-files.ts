import type { PrismaClient } from '@app/db';
import type { AgentFileKind, ReplyPart } from '@app/domain';

/** What the agent knows of one active library file. */
export interface LibraryFile {
  id: string;
  title: string;
  objectKey: string;
  mimeType: string;
  kind: AgentFileKind;
  filename: string;
  sizeBytes: number;
  triggerKeywords: string[];
  triggerContext: string;
}

/** The business's active files, in the order the operator gave them. */
export async function loadActiveFiles(prisma: PrismaClient, businessId: string): Promise<LibraryFile[]> {
  const rows = await prisma.agentFile.findMany({
    where: { businessId, active: true },
    orderBy: [{ order: 'asc' }, { title: 'asc' }],
    select: {
      id: true,
      title: true,
      objectKey: true,
      mimeType: true,
      kind: true,
      filename: true,
      sizeBytes: true,
      triggerKeywords: true,
      triggerContext: true,
    },
  });
  return rows.map((row) => ({ ...row, kind: row.kind as AgentFileKind }));
}

/**
 * The file a model named by title: the exact title first, else the one title equal to it ignoring case and accents
 * ("catalogo" finds "Catálogo"). Null when none, or when the loose match is ambiguous.
 */
export function findByTitle(files: LibraryFile[], title: string): LibraryFile | null {
  const wanted = title.trim();
  const exact = files.find((file) => file.title === wanted);
  if (exact) return exact;
  const loose = files.filter((file) => file.title.localeCompare(wanted, undefined, { sensitivity: 'base' }) === 0);
  return loose.length === 1 ? loose[0]! : null;
}

/**
 * The outbound message of a library file: its object-store key as the media id and the download state `stored` —
 * what a stored download looks like — so every egress loads the bytes from the store and the console shows them.
 */
export function libraryFilePart(file: LibraryFile, caption?: string): ReplyPart {
  return {
    kind: file.kind,
    media: {
      mediaId: file.objectKey,
      mimeType: file.mimeType,
      filename: file.filename,
      size: file.sizeBytes,
      ...(caption ? { caption } : {}),
      download: { state: 'stored', attempts: 0 },
    },
  };
}
