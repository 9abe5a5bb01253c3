import { z } from 'zod';
import type { ProviderEventKind } from '../db/schema';

/** Postmark's timestamps carry 7 fraction digits; Date.parse keeps the milliseconds. */
const Timestamp = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a timestamp');
/** Postmark always delivers Metadata values as strings; an absent map comes as {} or null. */
const Metadata = z.record(z.string(), z.string()).nullish();

const Common = {
  MessageStream: z.string().min(1).max(100),
  Tag: z.string().nullish(),
  Metadata,
};

export const PostmarkDelivery = z.object({
  RecordType: z.literal('Delivery'),
  ...Common,
  MessageID: z.string().min(1),
  Recipient: z.string().min(1),
  DeliveredAt: Timestamp,
  Details: z.string().nullish(),
});

/** Bounce and SpamComplaint share one body shape (a complaint is a bounce of type SpamComplaint). */
const BounceBody = {
  ...Common,
  ID: z.number().int(),
  Type: z.string().min(1),
  TypeCode: z.number().int(),
  MessageID: z.string().min(1),
  Email: z.string().min(1),
  BouncedAt: Timestamp,
  Inactive: z.boolean(),
  CanActivate: z.boolean().optional(),
  Description: z.string().nullish(),
  Details: z.string().nullish(),
};
export const PostmarkBounce = z.object({ RecordType: z.literal('Bounce'), ...BounceBody });
export const PostmarkSpamComplaint = z.object({ RecordType: z.literal('SpamComplaint'), ...BounceBody });

const Engagement = {
  ...Common,
  MessageID: z.string().min(1),
  Recipient: z.string().min(1),
  ReceivedAt: Timestamp,
  /** Tells a person's mail client from an image proxy or a link scanner (flow results count them apart). */
  UserAgent: z.string().nullish(),
};
export const PostmarkOpen = z.object({ RecordType: z.literal('Open'), ...Engagement, FirstOpen: z.boolean() });
export const PostmarkClick = z.object({
  RecordType: z.literal('Click'),
  ...Engagement,
  OriginalLink: z.string().min(1),
  ClickLocation: z.string().nullish(),
});

export const PostmarkSubscriptionChange = z.object({
  RecordType: z.literal('SubscriptionChange'),
  ...Common,
  MessageID: z.string().nullable(),
  Recipient: z.string().min(1),
  ChangedAt: Timestamp,
  Origin: z.string().min(1),
  SuppressSending: z.boolean(),
  SuppressionReason: z.string().nullable(),
});

/**
 * Only the fields listed are kept (zod strips the rest): the client, OS, user agent and geolocation of
 * opens and clicks are personal data we have no use for, so they are never stored.
 */
export const PostmarkEvent = z.discriminatedUnion('RecordType', [
  PostmarkDelivery,
  PostmarkBounce,
  PostmarkSpamComplaint,
  PostmarkOpen,
  PostmarkClick,
  PostmarkSubscriptionChange,
]);
export type PostmarkEvent = z.infer<typeof PostmarkEvent>;
export const POSTMARK_RECORD_TYPES = ['Delivery', 'Bounce', 'SpamComplaint', 'Open', 'Click', 'SubscriptionChange'] as const;

/** Types that are not delivery failures at all. */
const IGNORED_BOUNCE_TYPES = new Set(['AutoResponder', 'Subscribe', 'Unsubscribe', 'OpenRelayTest', 'ChallengeVerification', 'InboundError']);

/** Addresses that cannot exist whatever Postmark decided about the recipient. */
const HARD_BOUNCE_TYPES = new Set(['HardBounce', 'BadEmailAddress']);

/**
 * Postmark deactivates a recipient (`Inactive: true`) when the address cannot receive mail: that is
 * a hard bounce whatever its type. Soft bounces and transient failures never suppress.
 */
export function classifyBounce(type: string, inactive: boolean): ProviderEventKind {
  if (IGNORED_BOUNCE_TYPES.has(type)) return 'ignored';
  if (type === 'SpamComplaint') return 'complaint';
  return inactive || HARD_BOUNCE_TYPES.has(type) ? 'hard_bounce' : 'soft_bounce';
}

export function classify(event: PostmarkEvent): ProviderEventKind {
  switch (event.RecordType) {
    case 'Delivery':
      return 'delivery';
    case 'Open':
      return 'open';
    case 'Click':
      return 'click';
    case 'Bounce':
    case 'SpamComplaint':
      return classifyBounce(event.Type, event.Inactive);
    case 'SubscriptionChange':
      if (!event.SuppressSending) return 'reactivation';
      // A recipient's own unsubscribe counts in the unsubscribe rate; Postmark's follow-up to a
      // bounce or complaint (already counted) and our own API suppressions do not.
      return event.Origin === 'Recipient' && event.SuppressionReason === 'ManualSuppression' ? 'unsubscribe' : 'suppression';
  }
}

export function occurredAt(event: PostmarkEvent): number {
  switch (event.RecordType) {
    case 'Delivery':
      return Date.parse(event.DeliveredAt);
    case 'Bounce':
    case 'SpamComplaint':
      return Date.parse(event.BouncedAt);
    case 'Open':
    case 'Click':
      return Date.parse(event.ReceivedAt);
    case 'SubscriptionChange':
      return Date.parse(event.ChangedAt);
  }
}

export function recipientOf(event: PostmarkEvent): string {
  return event.RecordType === 'Bounce' || event.RecordType === 'SpamComplaint' ? event.Email : event.Recipient;
}

/**
 * `X-PM-Webhook-Trace-Id` is the same on every retry of one event. Without it, the fallback keys
 * name the event by its own fields (Opens and Clicks by message, recipient, time and link).
 */
export function dedupeKey(event: PostmarkEvent, traceId: string | undefined): string {
  if (traceId) return `trace:${traceId}`;
  switch (event.RecordType) {
    case 'Delivery':
      return `delivery:${event.MessageID}:${event.Recipient}:${event.DeliveredAt}`;
    case 'Bounce':
    case 'SpamComplaint':
      return `bounce:${event.ID}`;
    case 'SubscriptionChange':
      return `subscription:${event.Recipient}:${event.MessageStream}:${event.ChangedAt}:${event.SuppressSending}`;
    case 'Open':
      return `open:${event.MessageID}:${event.Recipient}:${event.ReceivedAt}`;
    case 'Click':
      return `click:${event.MessageID}:${event.Recipient}:${event.ReceivedAt}:${event.OriginalLink}`;
  }
}
