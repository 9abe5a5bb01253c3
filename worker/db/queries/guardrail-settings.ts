import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { allInOneTrip, prepared } from '../prepared';
import { DEFAULT_SMS_WINDOW, type SmsWindow } from '../../journeys/time';
import { guardrailSettings, sendDecisions } from '../schema';
import { senderReadinessOf, senderReadinessQuery, type SenderReadiness } from './onboarding';
import { contactSegmentGuardrailsQuery, type SegmentGuardrail } from './segment-guardrails';

export type GuardrailSettings = Omit<typeof guardrailSettings.$inferSelect, 'storeId' | 'updatedAt'>;
export type GuardrailSettingsPatch = Partial<GuardrailSettings>;

/** What a store gets until its admin changes something: 3 emails a week, 90 days to hibernation. */
export const DEFAULT_GUARDRAILS: GuardrailSettings = {
  emailCap: 3,
  emailWindowDays: 7,
  smsCap: 2,
  smsWindowDays: 7,
  overallCap: 4,
  overallWindowDays: 7,
  hibernationDays: 90,
  wakeHour: 8,
  sleepHour: 21,
  sendTimeOptimization: true,
  sendTimeMinEngagements: 5,
  repromotionDays: 30,
  oneFlowPerDay: true,
  smsOpens: DEFAULT_SMS_WINDOW.opens,
  smsCloses: DEFAULT_SMS_WINDOW.closes,
  smsDays: [...DEFAULT_SMS_WINDOW.days],
};

/** The SMS window a store's settings describe, as step() and the send gate apply it. */
export function smsWindowOf(s: Pick<GuardrailSettings, 'smsOpens' | 'smsCloses' | 'smsDays'>): SmsWindow {
  return { opens: s.smsOpens, closes: s.smsCloses, days: s.smsDays };
}

function settingsOf(row: typeof guardrailSettings.$inferSelect | undefined): GuardrailSettings {
  if (!row) return { ...DEFAULT_GUARDRAILS };
  const { storeId: _s, updatedAt: _u, ...settings } = row;
  return settings;
}

export async function findGuardrailSettings(d: Db, storeId: string): Promise<GuardrailSettings> {
  return settingsOf((await settingsQuery(d).all({ storeId }))[0]);
}

export type SendGuardrails = { settings: GuardrailSettings; previous: SendDecisionRow | undefined; sender: SenderReadiness; segmentRules: SegmentGuardrail[] };

/**
 * The store's guardrails, its sender readiness, the send's earlier decision and the rules of the segments the
 * contact is in, in one D1 round trip (every send reads them).
 */
export async function findGuardrailsAndDecision(d: Db, storeId: string, idempotencyKey: string, contactId: string): Promise<SendGuardrails> {
  const [settings, decisions, sender, segmentRules] = await allInOneTrip(d, [
    [settingsQuery(d), { storeId }],
    [decisionQuery(d), { storeId, idempotencyKey }],
    [senderReadinessQuery(d), { storeId }],
    [contactSegmentGuardrailsQuery(d), { storeId, contactId }],
  ]);
  return { settings: settingsOf(settings[0]), previous: decisions[0], sender: senderReadinessOf(sender[0]), segmentRules };
}

export type StoreGuardrails = Pick<SendGuardrails, 'settings' | 'sender'>;

/** The store's half of `findGuardrailsAndDecision`, alike for all its sends: a batch of sends reads it once. */
export async function findStoreGuardrails(d: Db, storeId: string): Promise<StoreGuardrails> {
  const [settings, sender] = await allInOneTrip(d, [
    [settingsQuery(d), { storeId }],
    [senderReadinessQuery(d), { storeId }],
  ]);
  return { settings: settingsOf(settings[0]), sender: senderReadinessOf(sender[0]) };
}

/** The send's half: its earlier decision and the rules of the segments the contact is in. */
export async function findDecisionAndSegmentRules(d: Db, storeId: string, idempotencyKey: string, contactId: string): Promise<Omit<SendGuardrails, keyof StoreGuardrails>> {
  const [decisions, segmentRules] = await allInOneTrip(d, [
    [decisionQuery(d), { storeId, idempotencyKey }],
    [contactSegmentGuardrailsQuery(d), { storeId, contactId }],
  ]);
  return { previous: decisions[0], segmentRules };
}

const settingsQuery = prepared((d) => d.select().from(guardrailSettings).where(eq(guardrailSettings.storeId, sql.placeholder('storeId'))).limit(1).prepare());

const decisionQuery = prepared((d) =>
  d
    .select()
    .from(sendDecisions)
    .where(and(eq(sendDecisions.storeId, sql.placeholder('storeId')), eq(sendDecisions.idempotencyKey, sql.placeholder('idempotencyKey'))))
    .limit(1)
    .prepare(),
);

/** Writes the whole effective row, so a first PATCH of one field stores the defaults beside it. */
export async function updateGuardrailSettings(d: Db, storeId: string, patch: GuardrailSettingsPatch, now: number): Promise<GuardrailSettings> {
  const next = { ...(await findGuardrailSettings(d, storeId)), ...patch };
  await d
    .insert(guardrailSettings)
    .values({ storeId, ...next, updatedAt: now })
    .onConflictDoUpdate({ target: guardrailSettings.storeId, set: { ...next, updatedAt: now } });
  return next;
}

export type SendDecisionRow = typeof sendDecisions.$inferSelect;
export type NewSendDecision = Omit<SendDecisionRow, 'deferrals'>;

/** Keeps the latest decision per send; each deferral is counted so a send stuck behind a cap shows it. */
export async function recordSendDecision(d: Db, row: NewSendDecision): Promise<void> {
  const deferred = row.decision === 'defer' ? 1 : 0;
  await d
    .insert(sendDecisions)
    .values({ ...row, deferrals: deferred })
    .onConflictDoUpdate({
      target: [sendDecisions.storeId, sendDecisions.idempotencyKey],
      set: {
        decision: row.decision,
        reason: row.reason,
        until: row.until,
        priority: row.priority,
        transactional: row.transactional,
        decidedAt: row.decidedAt,
        deferrals: sql`${sendDecisions.deferrals} + ${deferred}`,
      },
    });
}

export async function findSendDecision(d: Db, storeId: string, idempotencyKey: string): Promise<SendDecisionRow | undefined> {
  return d
    .select()
    .from(sendDecisions)
    .where(and(eq(sendDecisions.storeId, storeId), eq(sendDecisions.idempotencyKey, idempotencyKey)))
    .get();
}
