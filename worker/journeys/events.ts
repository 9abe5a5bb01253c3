import type { DomainEventType } from './flow-nodes';
import type { SmsWindow } from './time';

export type Scalar = string | number | boolean | null;
export type Properties = Record<string, unknown>;

export type CartLine = { productId: number; variationId?: number; quantity: number; price: number; name?: string };

export type CartSnapshot = {
  value: number;
  currency?: string;
  itemCount: number;
  lines: CartLine[];
  /** Link that restores this cart on the store (built by the collector). */
  restoreUrl?: string;
};

export type OrderItem = {
  productId: number;
  variationId?: number;
  quantity: number;
  price?: number;
  categoryIds?: number[];
  /** Product meta `nightshift_lifespan_days`, when the product has one. */
  lifespanDays?: number;
};

export type OrderSnapshot = {
  id: number;
  total: number;
  currency?: string;
  items: OrderItem[];
  productIds: number[];
  categoryIds: number[];
};

/** Which message of which enrollment an open or click is about, plus the link that was clicked. */
export type MessageRef = { enrollmentId: string; nodeId: string; linkKey?: string; url?: string };

/** A fact about the contact, already recorded in D1 before it reaches step(). */
export type DomainEvent = {
  type: DomainEventType;
  /** Stable id from the source (retries carry the same id). */
  id: string;
  at: number;
  properties: Properties;
  cart?: CartSnapshot;
  order?: OrderSnapshot;
  message?: MessageRef;
};

/** Delivered by the ContactAgent alarm for a timer listed by pendingTimers(). */
export type TimerFired = { type: 'timer.fired'; timerId: string };

export type JourneyEvent = DomainEvent | TimerFired;

/**
 * What step() may know about the contact, read by the DO from D1 for each call. Facts describe the
 * contact after the event was recorded (an order.paid already counts in stats).
 */
export type ContactFacts = {
  id: string;
  /** IANA zone: the contact's own, else the store's. */
  timezone: string;
  locale?: string;
  /** Marketing may be sent on this channel now (address known, consent in force, not suppressed). */
  reachable: { email: boolean; sms: boolean };
  tags: string[];
  properties: Properties;
  stats: { ordersCount: number; totalSpent: number; lastOrderAt?: number; medianOrderGapDays?: number };
  purchasedProductIds: number[];
  /** The store's SMS window (guardrail settings), applied on the contact's `timezone`. */
  smsWindow: SmsWindow;
};

export type StepInput = { event: JourneyEvent; contact: ContactFacts };
