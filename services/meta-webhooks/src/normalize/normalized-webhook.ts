import type { DeliveryStatus, MessageContent } from '@app/domain';

/**
 * Who wrote (or received) a message. Never the phone alone: a user with a WhatsApp username may hide the
 * phone number, and Meta then sends only the business-scoped user id (BSUID).
 */
export interface MetaIdentity {
  /** Digits only, no `+`. */
  phone?: string;
  /** BSUID (`user_id` / `from_user_id`), e.g. `US.13491208655302741918`. */
  userId?: string;
  parentUserId?: string;
  profileName?: string;
}

export interface NormalizedError {
  code: number;
  title?: string;
  message?: string;
  details?: string;
}

interface RoutedItem {
  /** Routing key: the business phone number the webhook is about. */
  phoneNumberId: string;
  wabaId?: string;
}

export interface NormalizedInboundMessage extends RoutedItem {
  type: 'message';
  providerMessageId: string;
  /** When the customer sent it, ISO 8601 (Meta sends Unix seconds as a string). */
  sentAt: string;
  sender: MetaIdentity;
  /** Meta's own `type` before normalization (text, image, unknown …). */
  metaType: string;
  content: MessageContent;
  /** Click-to-WhatsApp ad or post the customer came from. */
  referral?: Record<string, string>;
}

export interface NormalizedStatus extends RoutedItem {
  type: 'status';
  providerMessageId: string;
  status: DeliveryStatus;
  at: string;
  recipient: MetaIdentity;
  errors: NormalizedError[];
  pricingCategory?: string;
  pricingType?: string;
}

/** System-level errors Meta reports for the number as a whole (value.errors). */
export interface NormalizedValueError extends RoutedItem {
  type: 'error';
  errors: NormalizedError[];
}

export type NormalizedItem = NormalizedInboundMessage | NormalizedStatus | NormalizedValueError;

/** A part of the payload that could not be used; the rest of the batch is still processed. */
export interface NormalizationProblem {
  path: string;
  reason: string;
}

export interface NormalizedWebhook {
  items: NormalizedItem[];
  problems: NormalizationProblem[];
  /** Subscribed fields we do not handle (message_template_status_update …), by path. */
  ignored: { path: string; field: string }[];
}
