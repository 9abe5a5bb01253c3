import { smsWindowOf, type GuardrailSettings } from '../../db/queries/guardrail-settings';
import type { Period } from '../../db/queries/simulation-history';
import type { CountedSend } from '../../db/queries/send-history';
import { contactTimeZone } from '../../contacts/time-zone';
import type { JourneyAction, SendEmailAction, SendSmsAction } from '../../journeys/actions';
import type { ContactFacts, DomainEvent } from '../../journeys/events';
import type { Flow } from '../../journeys/flow-schema';
import { JourneySimulator } from '../../journeys/simulate';
import { localParts } from '../../lib/time';
import { frequencyCap } from '../../messaging/guardrails/frequency-cap';
import { nextWakingTime } from '../../messaging/guardrails/send-window';
import { sendRequestOf } from '../../messaging/guardrails/types';
import { eventsByContact, type History } from './history-events';

type Counts = Record<string, number>;

/** What the owner reads before saving a draft: how the flow would have behaved on the period's real history. */
export type SimulationReport = {
  period: Period;
  contacts: number;
  eventsReplayed: number;
  enrollments: number;
  heldOut: number;
  /** Contacts assigned to each split branch, as `<experiment>:<branch key>`. */
  branches: Counts;
  /** Messages that would have gone out within the period, after the guardrails. */
  messages: { total: number; perDay: Counts; perStep: Counts };
  /** Why enrollments ended (`completed` for those that reached the end). */
  exits: Counts;
  /** Sends the guardrails would have moved later (`frequency_cap_email`, `quiet_hours`, ...) or dropped. */
  deferred: Counts;
  skipped: Counts;
  /** Sends deferred past the end of the period: they would go out after it. */
  deferredPastPeriod: number;
};

export type ReplayWorld = { flow: Flow; period: Period; storeTimezone: string; guardrails: GuardrailSettings };

const bump = (counts: Counts, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

function emptyReport(period: Period): SimulationReport {
  return { period, contacts: 0, eventsReplayed: 0, enrollments: 0, heldOut: 0, branches: {}, messages: { total: 0, perDay: {}, perStep: {} }, exits: {}, deferred: {}, skipped: {}, deferredPastPeriod: 0 };
}

function dayOf(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

type Sender = { world: ReplayWorld; timeZone: string; sends: CountedSend[]; report: SimulationReport };

/**
 * The guardrails that depend only on this flow's own sends and the clock: frequency caps and waking hours
 * (SMS windows were applied by step()). A deferred send goes out when it is allowed, and counts from then.
 */
function gate(s: Sender, action: SendEmailAction | SendSmsAction, at: number): void {
  const { guardrails, period } = s.world;
  const req = sendRequestOf(action);
  let when = at;
  const capped = req.transactional ? null : frequencyCap(req, guardrails, s.sends, when);
  if (capped?.action === 'skip') {
    bump(s.report.skipped, capped.reason);
    return;
  }
  if (capped?.action === 'defer') {
    bump(s.report.deferred, capped.reason);
    when = capped.until;
  }
  const awake = req.channel === 'email' && !req.transactional ? nextWakingTime(when, s.timeZone, guardrails) : when;
  if (awake > when) {
    bump(s.report.deferred, 'quiet_hours');
    when = awake;
  }
  if (when >= period.to) {
    s.report.deferredPastPeriod += 1;
    return;
  }
  if (!req.transactional) {
    s.sends.push({ idempotencyKey: req.idempotencyKey, channel: req.channel, flowId: req.flowId, createdAt: when });
    s.sends.sort((a, b) => a.createdAt - b.createdAt);
  }
  s.report.messages.total += 1;
  bump(s.report.messages.perDay, dayOf(when, s.world.storeTimezone));
  bump(s.report.messages.perStep, action.nodeId);
}

function tally(s: Sender, action: JourneyAction, at: number): void {
  const r = s.report;
  if (action.type === 'send_email' || action.type === 'send_sms') return gate(s, action, at);
  if (action.type !== 'journey_log') return;
  if (action.what === 'enrolled') {
    r.enrollments += 1;
    if (action.heldOut) r.heldOut += 1;
  } else if (action.what === 'completed') bump(r.exits, 'completed');
  else if (action.what === 'exited') bump(r.exits, action.reason ?? 'exited');
  else if (action.what === 'skipped') bump(r.skipped, action.reason ?? 'skipped');
  else if (action.what === 'deferred') bump(r.deferred, action.reason ?? 'deferred');
  else if (action.what === 'assigned') bump(r.branches, `${action.reason ?? ''}:${action.variant ?? ''}`);
}

/** Facts step() reads, from what the history knows; order stats grow as the replay meets the contact's orders. */
function factsOf(world: ReplayWorld, c: History['contacts'][number]): ContactFacts {
  const active = c.status === 'active';
  return {
    id: c.id,
    timezone: contactTimeZone(c, { timezone: world.storeTimezone }),
    ...(c.locale ? { locale: c.locale } : {}),
    reachable: { email: active && !!c.email, sms: active && !!c.phone },
    tags: [],
    properties: c.birthday ? { birthday: c.birthday } : {},
    stats: { ordersCount: 0, totalSpent: 0 },
    purchasedProductIds: [],
    smsWindow: smsWindowOf(world.guardrails),
  };
}

function countOrder(sim: JourneySimulator, e: DomainEvent): void {
  if (e.type !== 'order.paid' || !e.order) return;
  const c = sim.contact;
  const bought = new Set([...c.purchasedProductIds, ...e.order.productIds]);
  const stats = { ...c.stats, ordersCount: c.stats.ordersCount + 1, totalSpent: c.stats.totalSpent + e.order.total, lastOrderAt: e.at };
  sim.contact = { ...c, stats, purchasedProductIds: [...bought] };
}

/**
 * Replays the period's recorded history, contact by contact, through the pure step() of the draft flow (the
 * same code the ContactAgent runs), then applies the send guardrails to what it would have sent.
 */
export function replayHistory(world: ReplayWorld, history: History): SimulationReport {
  const report = emptyReport(world.period);
  const contacts = new Map(history.contacts.map((c) => [c.id, c]));
  for (const [contactId, events] of eventsByContact(history, world.period)) {
    const contact = contacts.get(contactId);
    if (!contact || events.length === 0) continue;
    const facts = factsOf(world, contact);
    const sim = new JourneySimulator([world.flow], facts, events[0]!.at);
    for (const e of events) {
      countOrder(sim, e);
      sim.emit(e, e.at);
    }
    sim.advanceTo(world.period.to - 1);
    const sender: Sender = { world, timeZone: facts.timezone, sends: [], report };
    for (const { at, action } of sim.history) tally(sender, action, at);
    report.contacts += 1;
    report.eventsReplayed += events.length;
  }
  return report;
}
