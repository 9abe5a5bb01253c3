import { db, type Db } from '../db/client';
import { creditWidgetOrders } from '../widgets/results';
import { insertEvents, type NewEvent } from '../db/queries/events';
import { followContactEvents } from '../segments/dynamic/contact-events';
import { contactAgentName, isContactEvent, type ContactDomainEvent, type DomainEvent } from './domain-events';

/**
 * Records domain events in D1 (the system of record) and hands each contact's events to its ContactAgent.
 * Both sinks keep one copy per event id, so callers publish everything a state implies, on every retry:
 * a retry after a crash between the two sinks still reaches the agent.
 */
export async function publishDomainEvents(
  env: Env,
  d: Db,
  events: DomainEvent[],
  source: NewEvent['source'],
  receivedAt: number,
): Promise<void> {
  if (events.length === 0) return;
  await recordDomainEvents(d, events, source, receivedAt);
  await deliverToAgents(env, events.filter(isContactEvent));
}

/** The D1 half of publishing: the system of record only, for events whose agent hears of them another way. */
export async function recordDomainEvents(d: Db, events: DomainEvent[], source: NewEvent['source'], receivedAt: number): Promise<void> {
  if (events.length > 0) await insertEvents(d, events.map((event) => eventRow(event, source, receivedAt)));
}

/**
 * One call per ContactAgent (store and contact) with its events in the order given; the agent drops ids it has,
 * so callers may send the same events again on a retry. The events an agent saw for the first time then move the
 * contact's scores and segments (once per event, since the agent is what knows an event is new).
 */
export async function deliverToAgents(env: Env, events: ContactDomainEvent[]): Promise<void> {
  const byAgent = Map.groupBy(events, (event) => contactAgentName(event.storeId, event.contactId));
  const fresh = await Promise.all([...byAgent].map(([name, list]) => env.CONTACT_AGENT.getByName(name).recordEvents(list)));
  await followFreshEvents(env, events, new Set(fresh.flat()));
}

/**
 * Segment entries and exits caused by the fresh events are published in turn. A failure here is logged, not thrown:
 * the events are delivered, and the nightly full recompute repairs whatever membership was missed.
 */
async function followFreshEvents(env: Env, events: ContactDomainEvent[], fresh: Set<string>): Promise<void> {
  const now = Date.now();
  const d = db(env.DB);
  try {
    const changes = await followContactEvents(d, events.filter((e) => fresh.has(e.id)), now);
    await creditWidgetOrders(d, events.filter((e) => fresh.has(e.id)));
    await publishDomainEvents(env, d, changes, 'server', now);
  } catch (err) {
    console.error('segment update after contact events failed; the nightly recompute will repair it', err);
  }
}

function eventRow(event: DomainEvent, source: NewEvent['source'], receivedAt: number): NewEvent {
  const { id, storeId, contactId, occurredAt, type, ...properties } = event;
  return { storeId, eventKey: id, type, visitorId: null, contactId, properties, source, occurredAt, receivedAt };
}
