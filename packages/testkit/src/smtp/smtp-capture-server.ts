import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime-message.ts';

export interface CapturedMail extends ParsedMail {
  /** The SMTP envelope, which is what the server actually delivered to (headers may say otherwise). */
  envelopeFrom: string | null;
  envelopeTo: string[];
  raw: string;
  receivedAt: Date;
}

export interface SmtpCaptureServer {
  /** `smtp://127.0.0.1:<port>`: give it to nodemailer (`SMTP_URL`) unchanged. */
  readonly url: string;
  readonly port: number;
  /** Every message accepted so far, oldest first. */
  readonly messages: readonly CapturedMail[];
  /** Resolves with the first captured message (already received or still to come) that matches. */
  waitForMail(predicate?: (mail: CapturedMail) => boolean, options?: { timeoutMs?: number }): Promise<CapturedMail>;
  clear(): void;
  close(): Promise<void>;
}

export interface SmtpCaptureOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

/**
 * A real SMTP server in-process (the `smtp-server` package) that accepts every message without TLS or auth and
 * keeps it in memory, so code under test sends mail through nodemailer exactly as in production.
 */
export async function startSmtpCaptureServer(options: SmtpCaptureOptions = {}): Promise<SmtpCaptureServer> {
  const host = options.host ?? '127.0.0.1';
  const messages: CapturedMail[] = [];
  const arrivals = new EventEmitter();
  arrivals.setMaxListeners(0);

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail: CapturedMail = {
          ...parseMail(raw),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw,
          receivedAt: new Date(),
        };
        messages.push(mail);
        arrivals.emit('mail', mail);
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${host}:${port}`,
    port,
    messages,
    waitForMail(predicate = () => true, waitOptions = {}) {
      const existing = messages.find(predicate);
      if (existing) return Promise.resolve(existing);
      const timeoutMs = waitOptions.timeoutMs ?? 15_000;
      return new Promise<CapturedMail>((resolve, reject) => {
        const onMail = (mail: CapturedMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          arrivals.off('mail', onMail);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          arrivals.off('mail', onMail);
          reject(new Error(`No matching mail within ${timeoutMs} ms (${messages.length} captured).`));
        }, timeoutMs);
        arrivals.on('mail', onMail);
      });
    },
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
