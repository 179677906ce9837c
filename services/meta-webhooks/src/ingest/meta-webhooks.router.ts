import type { PrismaClient } from '@app/db';
import { AppError, type Logger } from '@app/runtime/service';
import express, { Router, type Request, type Response } from 'express';
import type { MetaMediaDownloads } from '../media/meta-media-downloads.ts';
import { normalizeMetaWebhook } from '../normalize/normalize-webhook.ts';
import { MetaSignatureVerifier } from '../signature/meta-signature-verifier.ts';
import { createMetaWebhookIngestor, type IngestSummary } from './ingest-meta-webhook.ts';
import { createInstanceDirectory, type InstanceDirectory } from './instance-directory.ts';

export interface MetaWebhooksRouterDependencies {
  prisma: PrismaClient;
  logger: Logger;
  config: { META_APP_SECRET: string; META_VERIFY_TOKEN: string };
  /** Defaults to a cached directory over the Instance table. */
  instances?: InstanceDirectory;
  /** Called after a webhook was persisted (metrics, tests). */
  onIngested?: (summary: IngestSummary) => void;
  /** Inbound media are downloaded into the object store (createMetaMediaDownloads); without it, metadata only. */
  media?: MetaMediaDownloads;
}

// Meta: "Webhooks payloads can be up to 3MB"; a little headroom for escaping.
const maxBodySize = '4mb';

/**
 * `GET /webhooks/meta` (verification handshake) and `POST /webhooks/meta` (signed notifications). The POST reads
 * the raw bytes itself, checks the signature over them before anything else, persists, and only then answers 200.
 * Mount it on an app with the shared errorMiddleware; it has no side effects until a request arrives.
 */
export function createMetaWebhooksRouter(deps: MetaWebhooksRouterDependencies): Router {
  const verifier = new MetaSignatureVerifier(deps.config.META_APP_SECRET);
  const instances = deps.instances ?? createInstanceDirectory(deps.prisma);
  const ingest = createMetaWebhookIngestor({ prisma: deps.prisma, instances, logger: deps.logger, ...(deps.media ? { media: deps.media } : {}) });
  const router = Router();

  router.get('/webhooks/meta', (request: Request, response: Response) => {
    const mode = request.query['hub.mode'];
    const token = request.query['hub.verify_token'];
    const challenge = request.query['hub.challenge'];
    if (mode === 'subscribe' && token === deps.config.META_VERIFY_TOKEN && typeof challenge === 'string') {
      // The challenge goes back verbatim as plain text: no JSON, no quotes, no newline.
      response.status(200).type('text/plain').send(challenge);
      return;
    }
    deps.logger.warn({ event: 'meta_webhook.verification_refused', mode }, 'webhook verification refused');
    response.sendStatus(403);
  });

  router.post(
    '/webhooks/meta',
    // Every content type: the bytes are what Meta signed, whatever header came with them.
    express.raw({ type: () => true, limit: maxBodySize }),
    async (request: Request, response: Response) => {
      if (request.body !== undefined && !Buffer.isBuffer(request.body)) {
        // A body parser mounted before this router consumed the bytes Meta signed: refuse loudly (500, so Meta
        // retries) rather than answering 401 to every genuine webhook.
        throw new Error('The Meta webhook router must be mounted before any body parser (it needs the raw body).');
      }
      const rawBody: Buffer = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!verifier.isValid(rawBody, request.get('x-hub-signature-256'))) {
        throw new AppError('INVALID_SIGNATURE', 'The X-Hub-Signature-256 header is missing or does not match the body.');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new AppError('VALIDATION_FAILED', 'The webhook body is not valid JSON.');
      }
      const summary = await ingest(normalizeMetaWebhook(payload));
      deps.onIngested?.(summary);
      response.sendStatus(200);
    },
  );

  return router;
}
