import type { Db } from '../db/client';
import { changeReputationState, countEmailSendsSince, findReputationState, type ReputationStateRow } from '../db/queries/reputation';
import { findStore } from '../db/queries/stores';
import { AppError, notFound } from '../errors';
import { newId } from '../lib/ids';
import { sendPauseAlert } from './alert';
import { DAY_MS, judge, SLOW_START_DAYS, slowStartCap, WINDOWS, type Breach, type Verdict } from './rates';
import { streamRates, thresholdsFor } from './reputation';

export type SendingState =
  | { promotional: 'open' }
  | { promotional: 'paused'; since: number; reason: string }
  | { promotional: 'slow_start'; dailyCap: number; allowance: number; resetsAt: number };

const OPEN: ReputationStateRow = { storeId: '', state: 'open', incidentId: null, reason: null, changedAt: 0, resumedAt: null, acknowledgedAt: null };

/** The store's breaker row, open when it never tripped. */
export async function stateRow(d: Db, storeId: string): Promise<ReputationStateRow> {
  return (await findReputationState(d, storeId)) ?? { ...OPEN, storeId };
}

/**
 * May this store send promotional messages now? Transactional-like reminders ignore it. In slow start,
 * `allowance` is what is left of today's cap (every email claimed today counts against it).
 */
export async function sendingState(d: Db, storeId: string, now: number, readRow = () => stateRow(d, storeId)): Promise<SendingState> {
  const row = await readRow();
  if (row.state === 'paused') return { promotional: 'paused', since: row.changedAt, reason: row.reason ?? '' };
  if (row.state === 'open' || row.resumedAt === null) return { promotional: 'open' };
  const firstDayCap = (await thresholdsFor(d, storeId)).slowStartDailyCap;
  const { day, cap, dayStart } = slowStartCap(firstDayCap, row.resumedAt, now);
  if (day >= SLOW_START_DAYS) return { promotional: 'open' };
  const used = await countEmailSendsSince(d, storeId, dayStart);
  return { promotional: 'slow_start', dailyCap: cap, allowance: Math.max(0, cap - used), resetsAt: dayStart + DAY_MS };
}

function describe(breaches: Breach[]): string {
  return breaches
    .filter((b) => b.level === 'pause')
    .map((b) => `${b.rate} ${(b.value * 100).toFixed(2)}% >= ${(b.threshold * 100).toFixed(2)}% on ${b.stream} (${b.sent} sent)`)
    .join('; ');
}

/** The trailing 7 days, but never before sending last resumed: a pause is not re-triggered by what caused it. */
async function recentVerdict(d: Db, storeId: string, since: number, now: number): Promise<Verdict> {
  const [streams, thresholds] = await Promise.all([streamRates(d, storeId, { since, until: now + 1 }), thresholdsFor(d, storeId)]);
  return judge(streams, thresholds);
}

async function pause(env: Env, d: Db, row: ReputationStateRow, verdict: Verdict, now: number): Promise<void> {
  const incidentId = newId('inc');
  const breaches = verdict.breaches.filter((b) => b.level === 'pause');
  const reason = describe(breaches);
  const moved = await changeReputationState(d, { storeId: row.storeId, from: row.state, to: 'paused', at: now, reason, incidentId, details: { breaches } });
  const store = moved ? await findStore(d, row.storeId) : undefined;
  if (store) await sendPauseAlert(env, d, store, incidentId, breaches, now);
}

/** The alert is keyed by incident: if sending it failed when the pause began, a later run sends it; otherwise nothing happens. */
async function retryAlert(env: Env, d: Db, row: ReputationStateRow, verdict: Verdict, now: number): Promise<void> {
  const store = row.incidentId ? await findStore(d, row.storeId) : undefined;
  if (store && row.incidentId) await sendPauseAlert(env, d, store, row.incidentId, verdict.breaches, now);
}

/**
 * Runs the breaker for one store: open/slow start → paused when a pause threshold is crossed;
 * paused → slow start once no rate is even at its warning level over the trailing 7 days;
 * slow start → open when its last day is over. Safe to run any number of times.
 */
export async function evaluateReputation(env: Env, d: Db, storeId: string, now: number): Promise<SendingState> {
  const row = await stateRow(d, storeId);
  if (row.state === 'paused') {
    const verdict = await recentVerdict(d, storeId, now - WINDOWS['7d'], now);
    if (verdict.level === 'ok') {
      await changeReputationState(d, { storeId, from: 'paused', to: 'slow_start', at: now, reason: 'rates_recovered', incidentId: row.incidentId, resumedAt: now, details: {} });
    } else {
      await retryAlert(env, d, row, verdict, now);
    }
    return sendingState(d, storeId, now);
  }
  const since = Math.max(now - WINDOWS['7d'], row.resumedAt ?? 0);
  const verdict = await recentVerdict(d, storeId, since, now);
  if (verdict.level === 'pause') {
    await pause(env, d, row, verdict, now);
  } else if (row.state === 'slow_start' && (await sendingState(d, storeId, now)).promotional === 'open') {
    await changeReputationState(d, { storeId, from: 'slow_start', to: 'open', at: now, reason: 'slow_start_complete', incidentId: row.incidentId, details: {} });
  }
  return sendingState(d, storeId, now);
}

/** An admin's go-ahead after a pause: sending resumes in slow start, judged only on what happens next. */
export async function acknowledgePause(d: Db, storeId: string, now: number): Promise<SendingState> {
  const row = await stateRow(d, storeId);
  if (row.state !== 'paused') throw new AppError(409, 'conflict', `Promotional sending is ${row.state}: nothing to acknowledge`);
  const moved = await changeReputationState(d, {
    storeId,
    from: 'paused',
    to: 'slow_start',
    at: now,
    reason: 'acknowledged',
    incidentId: row.incidentId,
    resumedAt: now,
    acknowledgedAt: now,
    details: {},
  });
  if (!moved) throw new AppError(409, 'conflict', 'Promotional sending changed state meanwhile');
  return sendingState(d, storeId, now);
}

export async function requireStore(d: Db, storeId: string) {
  const store = await findStore(d, storeId);
  if (!store) throw notFound(`Store ${storeId}`);
  return store;
}
