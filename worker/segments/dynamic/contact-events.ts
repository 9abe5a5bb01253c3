import type { ContactDomainEvent, SegmentChanged } from '../../contacts/domain-events';
import type { Db } from '../../db/client';
import { applyLeadSignals, leadKindOf } from '../scores/lead-scoring';
import { rescoreBuyer } from '../scores/rfm-scoring';
import { refreshContactSegments } from './membership';

const ORDER_EVENTS = new Set<ContactDomainEvent['type']>(['order.placed', 'order.paid', 'order.completed', 'order.refunded', 'order.cancelled']);
/** Segment changes are results of this, not inputs: following them would only loop. */
const FOLLOWED = (e: ContactDomainEvent) => e.type !== 'segment.entered' && e.type !== 'segment.exited';

/**
 * What a contact's new events change in their scores and segments: the lead score takes the signals (O(1) per
 * event), an order event rescores RFM, then the contact's memberships are re-evaluated. Returns entries and exits.
 */
export async function followContactEvents(d: Db, events: ContactDomainEvent[], now: number): Promise<SegmentChanged[]> {
  const byContact = Map.groupBy(events.filter(FOLLOWED), (e) => `${e.storeId}\u0000${e.contactId}`);
  // Contacts are independent of each other: their round trips overlap instead of queueing behind one another.
  const changes = await Promise.all([...byContact.values()].map((list) => followOneContact(d, list, now)));
  return changes.flat();
}

async function followOneContact(d: Db, list: ContactDomainEvent[], now: number): Promise<SegmentChanged[]> {
  const { storeId, contactId } = list[0]!;
  const signals = list.flatMap((e) => {
    const kind = leadKindOf(e);
    return kind ? [{ kind, at: e.occurredAt }] : [];
  });
  await applyLeadSignals(d, storeId, contactId, signals);
  if (list.some((e) => ORDER_EVENTS.has(e.type))) await rescoreBuyer(d, storeId, contactId, now);
  return refreshContactSegments(d, storeId, contactId, now);
}
