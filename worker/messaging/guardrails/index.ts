import type { ExecutorContext } from '../../contacts/executors/types';
import { findDecisionAndSegmentRules, findGuardrailsAndDecision, findStoreGuardrails, recordSendDecision, type SendGuardrails } from '../../db/queries/guardrail-settings';
import { sharedRead } from '../../contacts/executors/types';
import type { SenderReadiness } from '../../db/queries/onboarding';
import type { SegmentGuardrail } from '../../db/queries/segment-guardrails';
import { countedSendsSince } from '../../db/queries/send-history';
import { checkCircuitBreaker } from './circuit-breaker';
import { checkPurchasedSince, recentlyBought } from './exclusions';
import { frequencyCap, historySince, oneFlowPerDay } from './frequency-cap';
import { checkHibernation } from './hibernation';
import { checkPreferences } from './preferences';
import { checkSendWindow } from './send-window';
import { checkSegmentExclusion, memberSettings, segmentLimits, segmentWindowDays } from './segment-scope';
import { checkSenderComplete } from './sender';
import { checkSuppression } from './suppression';
import { contactTimeZone } from '../../contacts/time-zone';
import type { Blocked, Guard, GuardrailDecision, SendRequest } from './types';

export type { GuardrailDecision, SendRequest } from './types';
export { executorOutcomeOf, sendRequestOf } from './types';
export { hibernationJob } from './hibernation';

type Rule = () => Promise<Blocked | null> | Blocked | null;

/**
 * Rules that only read, started at once: their reads share the batch's D1 round trips (a send-stage batch waited for
 * one round trip per rule). A rule that writes (hibernation wakes a contact) is not started early: it runs in its turn.
 */
function started(rules: Rule[]): Promise<PromiseSettledResult<Blocked | null>[]> {
  return Promise.allSettled(rules.map(async (rule) => rule()));
}

/** The first of the started rules that blocks, in order, as if they had run one by one: an error counts only where it would have been reached. */
async function firstBlocked(rules: Promise<PromiseSettledResult<Blocked | null>[]>): Promise<Blocked | null> {
  for (const result of await rules) {
    if (result.status === 'rejected') throw result.reason;
    if (result.value) return result.value;
  }
  return null;
}

type Loaded = { previousReason: string | null; sender: SenderReadiness; segmentRules: SegmentGuardrail[] };

async function decide(g: Guard, { previousReason, sender, segmentRules }: Loaded): Promise<GuardrailDecision> {
  const { d, store, contact, now } = g.ctx;
  const promotional = !g.req.transactional;
  let without: number[] = [];
  const products: Rule = async () => {
    const found = await recentlyBought(g);
    without = found.without;
    return found.blocked;
  };
  const counted = countedSendsSince(d, store.id, contact.id, historySince(now, g.settings, segmentWindowDays(segmentRules)), g.req.idempotencyKey);
  // Everything but hibernation starts now; what a blocking rule makes unneeded was read for nothing, in the same trips.
  const first = started([() => checkSuppression(g), () => checkSenderComplete(g, sender), () => checkSegmentExclusion(g.req, segmentRules), () => checkPurchasedSince(g)]);
  const then = started([products, () => checkCircuitBreaker(g)]);
  const late = started([
    async () => checkPreferences(g, await counted),
    async () => (promotional ? frequencyCap(g.req, g.settings, await counted, now, segmentLimits(g.req, segmentRules)) : null),
    async () => oneFlowPerDay(g, await counted),
    () => checkSendWindow(g, previousReason),
  ]);
  const blocked =
    (await firstBlocked(first)) ?? (promotional ? await checkHibernation(g) : null) ?? (await firstBlocked(then)) ?? (await firstBlocked(late));
  return blocked ?? { action: 'send', withoutProducts: without };
}

/** Alone, all four reads in one round trip; in the send stage's batch, the store's half once for all its sends. */
async function guardrailsFor(ctx: ExecutorContext, idempotencyKey: string): Promise<SendGuardrails> {
  const { d, store, contact } = ctx;
  if (!ctx.shared) return findGuardrailsAndDecision(d, store.id, idempotencyKey, contact.id);
  const [storeHalf, sendHalf] = await Promise.all([
    sharedRead(ctx, `guardrails:${store.id}`, () => findStoreGuardrails(d, store.id)),
    findDecisionAndSegmentRules(d, store.id, idempotencyKey, contact.id),
  ]);
  return { ...storeHalf, ...sendHalf };
}

/**
 * The one gate every message passes on its way to a channel (email, SMS), in this order:
 * suppression and consent, a promotional email's sender and postal address, segments excluded from promotion, purchase
 * exclusions, hibernation, the reputation breaker, the contact's preferences, frequency caps (the store's and those of
 * the contact's segments), one flow per day, then waking hours and best hour.
 * The decision is recorded under the send's idempotency key next to its message row.
 */
export async function checkSend(ctx: ExecutorContext, request: SendRequest): Promise<GuardrailDecision> {
  const { settings, previous, sender, segmentRules } = await guardrailsFor(ctx, request.idempotencyKey);
  const timeZone = contactTimeZone(ctx.contact, ctx.store);
  const previousReason = previous?.decision === 'defer' ? previous.reason : null;
  const decision = await decide({ ctx, req: request, settings: memberSettings(settings, segmentRules), timeZone }, { previousReason, sender, segmentRules });
  await recordSendDecision(ctx.d, {
    storeId: ctx.store.id,
    idempotencyKey: request.idempotencyKey,
    contactId: ctx.contact.id,
    flowId: request.flowId,
    channel: request.channel,
    decision: decision.action,
    reason: decision.action === 'send' ? null : decision.reason,
    until: decision.action === 'defer' ? decision.until : null,
    priority: request.priority,
    transactional: request.transactional,
    decidedAt: ctx.now,
  });
  return decision;
}
