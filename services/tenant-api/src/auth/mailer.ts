import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** The one thing the API needs from e-mail: send a message, throw if the server refused it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A nodemailer SMTP transport (SMTP_URL), or null when none is configured. */
export function createMailer(options: { smtpUrl: string | undefined; from: string }): Mailer | null {
  if (!options.smtpUrl) return null;
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
  };
}
