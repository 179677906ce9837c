/**
 * WhatsApp's customer-service window: 24 hours from the customer's last message (only the customer opens or
 * extends it). Outside it, free-form messages are refused by the Cloud API (error 131047); only approved
 * templates may be sent.
 */
export const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000;

export function replyWindowExpiresAt(lastInboundAt: Date | null): Date | null {
  return lastInboundAt ? new Date(lastInboundAt.getTime() + REPLY_WINDOW_MS) : null;
}

export function isReplyWindowOpen(lastInboundAt: Date | null, now: Date): boolean {
  const expiresAt = replyWindowExpiresAt(lastInboundAt);
  return expiresAt !== null && now.getTime() < expiresAt.getTime();
}
