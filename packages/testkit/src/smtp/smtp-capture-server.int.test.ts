import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpCaptureServer, type SmtpCaptureServer } from './smtp-capture-server.ts';

describe('SMTP capture server', () => {
  let server: SmtpCaptureServer;

  beforeAll(async () => {
    server = await startSmtpCaptureServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('receives what nodemailer sends through SMTP_URL and decodes long quoted-printable lines', async () => {
    const transport = nodemailer.createTransport(server.url);
    const link = `http://localhost:3000/api/auth/verify-email?token=${'a1B2c3D4'.repeat(12)}`;
    await transport.sendMail({
      from: 'Platform <no-reply@example.test>',
      to: 'owner@example.test',
      subject: 'Confirm your e-mail — ¡hola!',
      text: `Open this link: ${link}\nThanks.`,
      html: `<p><a href="${link}">Confirm</a></p>`,
    });

    const mail = await server.waitForMail((candidate) => candidate.envelopeTo.includes('owner@example.test'));
    expect(mail.envelopeFrom).toBe('no-reply@example.test');
    expect(mail.subject).toBe('Confirm your e-mail — ¡hola!');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
  });

  it('waits for a message that has not arrived yet and times out on one that never does', async () => {
    const pending = server.waitForMail((mail) => mail.subject === 'later');
    await nodemailer.createTransport(server.url).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'later', text: 'x' });
    await expect(pending).resolves.toMatchObject({ subject: 'later', text: 'x' });
    await expect(server.waitForMail((mail) => mail.subject === 'never', { timeoutMs: 200 })).rejects.toThrow(/No matching mail/);
  });
});
