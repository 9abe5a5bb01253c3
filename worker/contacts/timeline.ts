import type { Db } from '../db/client';
import { consentLedger, consentsInForce, contactVisitorIds, latestCart, listOrders, recentEvents, type CartRow, type ConsentRow, type OrderWithItems } from '../db/queries/admin-views';
import { heldSends, messageEngagement, type HeldSend, type MessageClickRow, type MessageOutcome } from '../db/queries/contact-timeline';
import { listStoreMessages, type MessageListing } from '../db/queries/dashboard';
import { listContactTags } from '../db/queries/contact-tags';
import type { Contact } from '../db/queries/contacts';
import type { EnrollmentRow } from '../db/queries/enrollments';
import { listFlows } from '../db/queries/flows';
import type { Flow } from '../journeys/flow-schema';
import { contactJourneys, type ContactJourneys } from './runtime/journey-view';

/** What comes next in a running journey: the node its timer (or a deferred action) leads to, and when. */
export type NextStep = { nodeId: string; nodeType: string | null; dueAt: number };
export type JourneyLine = { enrollment: EnrollmentRow; flowName: string; next: NextStep | null };

export type TimelineEntry =
  | { kind: 'upcoming'; at: number; flowId: string; flowName: string; step: NextStep }
  | { kind: 'event'; at: number; type: string; detail: string | null }
  | { kind: 'message'; at: number; message: MessageListing; outcomes: MessageOutcome[]; clicks: MessageClickRow[] }
  | { kind: 'order'; at: number; order: OrderWithItems }
  | { kind: 'cart'; at: number; cart: CartRow }
  | { kind: 'journey'; at: number; flowName: string; enrollment: EnrollmentRow }
  | { kind: 'held'; at: number; flowName: string | null; held: HeldSend };

export type ContactStory = {
  contact: Contact;
  consents: { inForce: ConsentRow[]; ledger: ConsentRow[] };
  tags: string[];
  cart: CartRow | null;
  journeys: JourneyLine[];
  timeline: TimelineEntry[];
  /** More entries exist than the `limit` shown: the page offers "show more". */
  more: boolean;
};

// Shown inside the message or as the order they are about, not as entries of their own.
const FOLDED_EVENTS = new Set(['message.sent', 'message.opened', 'message.clicked', 'message.bounced', 'order.placed']);

function eventDetail(properties: Record<string, unknown>): string | null {
  for (const key of ['name', 'segment', 'url', 'number', 'status']) {
    const value = properties[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value).slice(0, 160);
  }
  return null;
}

function nextStep(flow: Flow | undefined, cursor: string, dueAt: number): NextStep {
  const at = flow?.nodes.find((n) => n.id === cursor);
  // A wait's timer moves the enrollment on: past a duration to `next`, past an event wait's timeout to
  // `onTimeout` (the event, if it comes first, goes to `next`). Any other node is itself what is due.
  const timeout = at?.type === 'wait' && at.until.kind === 'event' ? at.until.onTimeout : undefined;
  const nodeId = at?.type === 'wait' ? (timeout ?? at.next ?? cursor) : cursor;
  return { nodeId, nodeType: flow?.nodes.find((n) => n.id === nodeId)?.type ?? null, dueAt };
}

function journeyLines(journeys: ContactJourneys, flows: Map<string, Flow>): JourneyLine[] {
  return journeys.enrollments.map((enrollment) => {
    const running = journeys.running.find((r) => r.id === enrollment.id);
    const flow = flows.get(enrollment.flowId);
    const next = running?.timer ? nextStep(flow, running.cursor, running.timer.dueAt) : null;
    return { enrollment, flowName: flow?.name ?? enrollment.flowId, next };
  });
}

/** Actions decided but waiting in the agent's outbox (quiet hours, a retry): each is a step due at its time. */
function pendingActionEntries(journeys: ContactJourneys, flows: Map<string, Flow>): TimelineEntry[] {
  return journeys.pendingActions.flatMap((a): TimelineEntry[] => {
    const cut = a.idempotencyKey?.lastIndexOf(':') ?? -1;
    const enrollment = a.idempotencyKey ? journeys.enrollments.find((e) => e.id === a.idempotencyKey?.slice(0, cut)) : undefined;
    if (a.dueAt === null || !a.idempotencyKey || !enrollment) return [];
    const flow = flows.get(enrollment.flowId);
    const nodeId = a.idempotencyKey.slice(cut + 1);
    const step = { nodeId, nodeType: flow?.nodes.find((n) => n.id === nodeId)?.type ?? null, dueAt: a.dueAt };
    return [{ kind: 'upcoming', at: a.dueAt, flowId: enrollment.flowId, flowName: flow?.name ?? enrollment.flowId, step }];
  });
}

function messageEntries(list: MessageListing[], engagement: { outcomes: MessageOutcome[]; clicks: MessageClickRow[] }): TimelineEntry[] {
  return list.map((message) => ({
    kind: 'message',
    at: message.sentAt ?? message.createdAt,
    message,
    outcomes: engagement.outcomes.filter((o) => o.messageId === message.id),
    clicks: engagement.clicks.filter((k) => k.messageId === message.id),
  }));
}

/**
 * Everything the console shows of one contact. Each source is read newest first up to `limit`, then
 * merged: the first `limit` entries of the merge are exactly the newest `limit` of all sources.
 */
export async function contactStory(env: Env, d: Db, storeId: string, contact: Contact, limit: number): Promise<ContactStory> {
  const visitorIds = await contactVisitorIds(d, storeId, contact.id);
  const [ledger, tags, cart, orders, events, list, held, journeys, flowRows] = await Promise.all([
    consentLedger(d, storeId, contact.id),
    listContactTags(d, storeId, contact.id),
    latestCart(d, storeId, contact.id, visitorIds),
    listOrders(d, storeId, contact.id, limit),
    recentEvents(d, storeId, contact.id, visitorIds, limit),
    listStoreMessages(d, storeId, limit, contact.id),
    heldSends(d, storeId, contact.id, limit),
    contactJourneys(env, d, storeId, contact.id),
    listFlows(d, storeId),
  ]);
  const flows = new Map(flowRows.map((f) => [f.id, f.definition]));
  const flowName = (id: string | null) => (id ? (flows.get(id)?.name ?? id) : null);
  const lines = journeyLines(journeys, flows);
  const entries: TimelineEntry[] = [
    ...lines.flatMap((l): TimelineEntry[] => (l.next && l.enrollment.status === 'active' ? [{ kind: 'upcoming', at: l.next.dueAt, flowId: l.enrollment.flowId, flowName: l.flowName, step: l.next }] : [])),
    ...pendingActionEntries(journeys, flows),
    ...events.filter((e) => !FOLDED_EVENTS.has(e.type)).map((e): TimelineEntry => ({ kind: 'event', at: e.occurredAt, type: e.type, detail: eventDetail(e.properties) })),
    ...messageEntries(list, await messageEngagement(d, storeId, list.map((m) => m.id))),
    ...orders.map((order): TimelineEntry => ({ kind: 'order', at: order.createdAt, order })),
    ...(cart ? [{ kind: 'cart' as const, at: cart.snapshotAt, cart }] : []),
    ...lines.map((l): TimelineEntry => ({ kind: 'journey', at: l.enrollment.enteredAt, flowName: l.flowName, enrollment: l.enrollment })),
    ...held.map((h): TimelineEntry => ({ kind: 'held', at: h.decidedAt, flowName: flowName(h.flowId), held: h })),
  ];
  entries.sort((a, b) => b.at - a.at);
  return {
    contact,
    consents: { inForce: consentsInForce(ledger), ledger: [...ledger].reverse() },
    tags,
    cart: cart ?? null,
    journeys: lines,
    timeline: entries.slice(0, limit),
    more: entries.length > limit,
  };
}
