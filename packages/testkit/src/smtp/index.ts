export { startSmtpCaptureServer, type CapturedMail, type SmtpCaptureServer, type SmtpCaptureOptions } from './smtp-capture-server.ts';
export { parseMail, decodeQuotedPrintable, type ParsedMail } from './mime-message.ts';
