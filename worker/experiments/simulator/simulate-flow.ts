import { z } from 'zod';
import { requireFlow } from '../../contacts/runtime/flow-admin';
import type { Db } from '../../db/client';
import { findGuardrailSettings } from '../../db/queries/guardrail-settings';
import { catalogFacts, historyContacts, historyEvents, historyOrders } from '../../db/queries/simulation-history';
import { findStore } from '../../db/queries/stores';
import { badRequest, notFound } from '../../errors';
import { Flow } from '../../journeys/flow-schema';
import { replayHistory, type SimulationReport } from './replay';

const DAY_MS = 86_400_000;
/** A quarter: long enough to see a win-back cycle, short enough to answer within a request. */
const MAX_PERIOD_DAYS = 92;
const MAX_EVENTS = 50_000;
const MAX_ORDERS = 20_000;

/** A moment as epoch milliseconds or an ISO 8601 date-time with its offset. */
export const Instant = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

/** Body of `POST /api/flows/:id/simulate`: a draft definition (the live one when left out) and a period. */
export const SimulateBody = z
  .strictObject({ definition: z.record(z.string(), z.unknown()).optional(), from: Instant, to: Instant })
  .refine((b) => b.to > b.from, { message: 'to must be after from', path: ['to'] })
  .refine((b) => b.to - b.from <= MAX_PERIOD_DAYS * DAY_MS, { message: `the period may span at most ${MAX_PERIOD_DAYS} days`, path: ['to'] });
export type SimulateBody = z.infer<typeof SimulateBody>;

export type Simulation = SimulationReport & { flow: { id: string; version: number; draft: boolean }; truncated: boolean };

/** The draft, checked like a saved flow; it runs as if switched on, under the flow's own id (holdout and splits hash on it). */
function draftFlow(flowId: string, live: Flow, definition: Record<string, unknown> | undefined): Flow {
  if (!definition) return { ...Flow.parse(live), enabled: true, liveSince: 1 };
  const parsed = Flow.safeParse({ ...definition, id: flowId });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'definition'}: ${i.message}`);
    throw badRequest(`Invalid draft flow: ${problems.join('; ')}`, { problems });
  }
  return { ...parsed.data, enabled: true, liveSince: 1 };
}

/** Replays the store's recorded history of the period through a draft of the flow. */
export async function simulateFlow(d: Db, storeId: string, flowId: string, body: SimulateBody, now: number): Promise<Simulation> {
  const store = await findStore(d, storeId);
  if (!store) throw notFound(`Store ${storeId}`);
  const live = await requireFlow(d, storeId, flowId, now);
  const flow = draftFlow(flowId, live.definition, body.definition);
  const period = { from: body.from, to: body.to };
  const [events, { orders, items }, guardrails, catalog] = await Promise.all([
    historyEvents(d, storeId, period, MAX_EVENTS),
    historyOrders(d, storeId, period, MAX_ORDERS),
    findGuardrailSettings(d, storeId),
    catalogFacts(d, storeId),
  ]);
  const ids = [...new Set([...events.map((e) => e.contactId), ...orders.flatMap((o) => (o.contactId ? [o.contactId] : []))])];
  const contacts = await historyContacts(d, storeId, ids, period, MAX_EVENTS);
  const report = replayHistory({ flow, period, storeTimezone: store.timezone, guardrails }, { contacts, events, orders, items, catalog });
  return {
    ...report,
    flow: { id: flowId, version: live.version, draft: body.definition !== undefined },
    truncated: events.length >= MAX_EVENTS || orders.length >= MAX_ORDERS,
  };
}
