import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { ToolCallContext, ToolScope } from '@app/domain';
import { createLogger } from '@app/runtime/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolProviders } from '../tool-providers.ts';
import { createReplyComposer } from './reply-composer.ts';
import { createFileToolProvider, sendFileToolName } from './send-file.tool.ts';

let database: TestDatabase;
let scope: ToolScope;
let otherBusinessId: string;
const logger = createLogger({ service: 'files-tools-test', level: 'silent' });

async function addFile(
  businessId: string,
  input: { title: string; kind: string; mimeType: string; order?: number; active?: boolean; keywords?: string[] },
) {
  const id = crypto.randomUUID();
  const extension = input.mimeType === 'application/pdf' ? 'pdf' : 'jpg';
  return database.prisma.agentFile.create({
    data: {
      id,
      businessId,
      title: input.title,
      objectKey: `files/${businessId}/${id}.${extension}`,
      mimeType: input.mimeType,
      kind: input.kind,
      sizeBytes: 100,
      filename: `${input.title}.${extension}`,
      triggerKeywords: input.keywords ?? [],
      triggerContext: input.keywords ? `When they ask about ${input.keywords[0]}` : '',
      order: input.order ?? 0,
      active: input.active ?? true,
    },
  });
}

function call(): ToolCallContext {
  return { ...scope, instanceId: crypto.randomUUID(), provider: 'SANDBOX', idempotencyKey: 'b:0:0', signal: new AbortController().signal };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const business = await database.prisma.business.create({ data: { name: 'Panadería Sol' } });
  const other = await database.prisma.business.create({ data: { name: 'Otra' } });
  otherBusinessId = other.id;
  scope = { businessId: business.id, contactId: crypto.randomUUID(), conversationId: crypto.randomUUID() };
  await addFile(business.id, { title: 'Catálogo', kind: 'document', mimeType: 'application/pdf', order: 2, keywords: ['catálogo', 'productos'] });
  await addFile(business.id, { title: 'Menu photo', kind: 'image', mimeType: 'image/jpeg', order: 1 });
  await addFile(business.id, { title: 'Old prices', kind: 'document', mimeType: 'application/pdf', active: false });
  await addFile(other.id, { title: 'Secret', kind: 'document', mimeType: 'application/pdf' });
});

afterAll(async () => {
  await database?.drop();
});

describe('send_file tool', () => {
  it('is offered with prompt notes listing the active files in order, with keywords and context', async () => {
    const set = await createFileToolProvider({ prisma: database.prisma }).load(scope);
    expect(set.tools.map((tool) => tool.name)).toEqual([sendFileToolName]);
    expect(set.tools[0]!.sideEffects).toBe(false);
    expect(set.tools[0]!.description).toMatch(/any language/);
    const note = set.promptNotes!.join('\n');
    expect(note.indexOf('"Menu photo"')).toBeLessThan(note.indexOf('"Catálogo"'));
    expect(note).toContain('keywords: catálogo, productos');
    expect(note).toContain('send when: When they ask about catálogo');
    expect(note).not.toContain('Old prices');
    expect(note).not.toContain('Secret');
  });

  it('is registered among the tool providers', async () => {
    const providers = createToolProviders({ prisma: database.prisma, clock: { now: () => new Date() }, logger });
    const names = (await Promise.all(providers.map((provider) => provider.load(scope)))).flatMap((set) => set.tools.map((tool) => tool.name));
    expect(names).toContain(sendFileToolName);
  });

  it('is not offered to a business without active files', async () => {
    const empty = await database.prisma.business.create({ data: { name: 'Sin archivos' } });
    expect(await createFileToolProvider({ prisma: database.prisma }).load({ ...scope, businessId: empty.id })).toEqual({ tools: [] });
  });

  it('returns the file as a media part to send, by title (case and accents aside) or by id', async () => {
    const [tool] = (await createFileToolProvider({ prisma: database.prisma }).load(scope)).tools;
    const catalog = await database.prisma.agentFile.findFirstOrThrow({ where: { businessId: scope.businessId, title: 'Catálogo' } });
    const byTitle = await tool!.run({ title: 'catalogo', caption: 'Nuestro catálogo' }, call());
    expect(byTitle).toEqual({
      ok: true,
      result: { sent: 'Catálogo', kind: 'document', filename: 'Catálogo.pdf' },
      send: [
        {
          kind: 'document',
          media: {
            mediaId: catalog.objectKey,
            mimeType: 'application/pdf',
            filename: 'Catálogo.pdf',
            size: 100,
            caption: 'Nuestro catálogo',
            download: { state: 'stored', attempts: 0 },
          },
        },
      ],
    });
    const byId = await tool!.run({ fileId: catalog.id }, call());
    expect(byId.ok && byId.send?.[0]).toMatchObject({ kind: 'document', media: { mediaId: catalog.objectKey } });
  });

  it('answers an unknown, inactive or foreign file with an error listing the available titles', async () => {
    const [tool] = (await createFileToolProvider({ prisma: database.prisma }).load(scope)).tools;
    for (const args of [{ title: 'Price list' }, { title: 'Old prices' }, { title: 'Secret' }, {}]) {
      const outcome = await tool!.run(args, call());
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.error).toContain('Available titles: "Menu photo", "Catálogo"');
    }
  });
});

describe('reply composer', () => {
  const composer = (reachable: string[] = []) =>
    createReplyComposer({ prisma: database.prisma, logger, bucket: 'whatsapp-media', checkLink: async (url) => reachable.includes(url) });

  it('leaves a plain text as one text part', async () => {
    expect(await composer().compose('  ¡Hola! ¿Qué deseas?  ', scope)).toEqual([{ kind: 'text', text: '¡Hola! ¿Qué deseas?' }]);
  });

  it('sends library shortcodes as the file, in place, with the text around them', async () => {
    const catalog = await database.prisma.agentFile.findFirstOrThrow({ where: { businessId: scope.businessId, title: 'Catálogo' } });
    const parts = await composer().compose('Claro, aquí tienes el catálogo: [[file:Catálogo]]\n¿Algo más?', scope);
    expect(parts).toEqual([
      { kind: 'text', text: 'Claro, aquí tienes el catálogo:' },
      { kind: 'document', media: expect.objectContaining({ mediaId: catalog.objectKey, mimeType: 'application/pdf', filename: 'Catálogo.pdf' }) },
      { kind: 'text', text: '¿Algo más?' },
    ]);
  });

  it('sends a reachable media link as media and an unreachable one as a plain link', async () => {
    const parts = await composer(['https://cdn.example.com/foto.jpg']).compose(
      'Foto: https://cdn.example.com/foto.jpg y el PDF https://down.example.com/menu.pdf.',
      scope,
    );
    expect(parts).toEqual([
      { kind: 'text', text: 'Foto:' },
      { kind: 'image', media: { url: 'https://cdn.example.com/foto.jpg', mimeType: 'image/jpeg' } },
      { kind: 'text', text: 'y el PDF https://down.example.com/menu.pdf.' },
    ]);
  });

  it("sends an s3 reference to the business's own file, never another business's", async () => {
    const photo = await database.prisma.agentFile.findFirstOrThrow({ where: { businessId: scope.businessId, title: 'Menu photo' } });
    const secret = await database.prisma.agentFile.findFirstOrThrow({ where: { businessId: otherBusinessId } });
    const parts = await composer().compose(`Mira s3://whatsapp-media/${photo.objectKey} y s3://whatsapp-media/${secret.objectKey}`, scope);
    expect(parts).toEqual([
      { kind: 'text', text: 'Mira' },
      { kind: 'image', media: expect.objectContaining({ mediaId: photo.objectKey, mimeType: 'image/jpeg', filename: 'Menu photo.jpg' }) },
      { kind: 'text', text: 'y' },
    ]);
    const other = await composer().compose(`s3://another-bucket/${photo.objectKey}`, scope);
    expect(other).toEqual([]);
  });

  it('drops an unknown shortcode from the text and records a WARNING system event', async () => {
    const parts = await composer().compose('Te envío [[file:Lista de precios]] enseguida.', scope);
    expect(parts).toEqual([{ kind: 'text', text: 'Te envío enseguida.' }]);
    const event = await database.prisma.systemEvent.findFirstOrThrow({ where: { businessId: scope.businessId, event: 'ai_reply.unknown_file' } });
    expect(event).toMatchObject({ severity: 'WARNING', source: 'conversation-actors' });
    expect(event.metadata).toMatchObject({ title: 'Lista de precios', conversationId: scope.conversationId, available: ['Menu photo', 'Catálogo'] });
  });

  it('sends several media in order', async () => {
    const parts = await composer(['https://cdn.example.com/v.mp4']).compose(
      '[[file:Menu photo]] [[file:Catálogo]] https://cdn.example.com/v.mp4',
      scope,
    );
    expect(parts.map((part) => part.kind)).toEqual(['image', 'document', 'video']);
  });
});
