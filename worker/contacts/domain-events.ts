import type { StorefrontContactEvent } from './storefront-events';

/**
 * What happened to a contact, as the rest of Nightshift sees it. Ingestion derives these from WooCommerce
 * state; journeys react to them. Ids are deterministic (built from the source record, never from the time of
 * processing) so a retried or replayed delivery produces the same id and every sink can drop the copy.
 */
type ContactEventBase = {
  id: string;
  storeId: string;
  contactId: string;
  /** When it happened at the source (ms since epoch). */
  occurredAt: number;
};

export type OrderLine = {
  productId: number;
  variationId: number | null;
  quantity: number;
  price: number;
  total: number;
};

type OrderFacts = {
  orderId: number;
  number: string | null;
  total: number;
  currency: string | null;
  couponCodes: string[];
  lines: OrderLine[];
};

export type OrderPlaced = ContactEventBase & OrderFacts & { type: 'order.placed'; status: string };
export type OrderPaid = ContactEventBase & OrderFacts & { type: 'order.paid' };
export type OrderCompleted = ContactEventBase & OrderFacts & { type: 'order.completed' };
export type OrderRefunded = ContactEventBase & {
  type: 'order.refunded';
  orderId: number;
  /** The refund's own id, or null when the status was set to refunded without a refund record. */
  refundId: number | null;
  amount: number;
  /** The order as a whole now counts as refunded. */
  full: boolean;
};
export type OrderCancelled = ContactEventBase & { type: 'order.cancelled'; orderId: number };
export type CustomerCreated = ContactEventBase & { type: 'customer.created'; wooCustomerId: number };

/** Which flow message an open or click is about (null for a send outside any flow), and the clicked link. */
export type MessageEngagementRef = { enrollmentId: string; nodeId: string; linkKey?: string; url?: string };
export type MessageOpened = ContactEventBase & { type: 'message.opened'; messageId: string; message: MessageEngagementRef | null };
export type MessageClicked = ContactEventBase & {
  type: 'message.clicked';
  messageId: string;
  url: string;
  linkKey: string | null;
  message: MessageEngagementRef | null;
};
/** An inbound STOP (or alias): SMS marketing consent is already withdrawn in the ledger. */
export type SmsStop = ContactEventBase & { type: 'sms.stop'; from: string; keyword: string };

/** A date of the contact's (its birthday) has come in the contact's own time zone; once a year per field. */
export type DateReached = ContactEventBase & { type: 'date.reached'; field: 'birthday'; value: string };
/** A scheduled evaluation found the contact entering or leaving a segment. */
export type SegmentChanged = ContactEventBase & { type: 'segment.entered' | 'segment.exited'; segment: string };

/** Events that belong to one contact and are delivered to their ContactAgent. */
export type ContactDomainEvent =
  | OrderPlaced
  | OrderPaid
  | OrderCompleted
  | OrderRefunded
  | OrderCancelled
  | CustomerCreated
  | MessageOpened
  | MessageClicked
  | SmsStop
  | DateReached
  | SegmentChanged
  | StorefrontContactEvent;

/** A catalogue change concerns the store, not a contact: it is recorded in D1 only. */
export type ProductChanged = {
  id: string;
  storeId: string;
  contactId: null;
  occurredAt: number;
  type: 'product.changed';
  productId: number;
  parentId: number | null;
  productType: string;
  price: number | null;
  stockStatus: string | null;
};

export type DomainEvent = ContactDomainEvent | ProductChanged;
export type DomainEventType = DomainEvent['type'];

export function isContactEvent(event: DomainEvent): event is ContactDomainEvent {
  return event.contactId !== null;
}

/** The ContactAgent of a contact is named after the store and the contact. */
export function contactAgentName(storeId: string, contactId: string): string {
  return `${storeId}:${contactId}`;
}
