import type { Db } from '../db/client';
import { findReputationState, listReputationHistory } from '../db/queries/reputation';
import type { Store } from '../db/queries/stores';
import { copyFor } from './alert-copy';
import { sendingState, type SendingState } from './breaker';
import { judge, type Verdict } from './rates';
import { rollingRates, thresholdsFor } from './reputation';

export type ReputationBanner = { severity: 'critical' | 'warning' | 'info'; code: 'paused' | 'warning' | 'slow_start'; message: string } | null;

function bannerOf(locale: string, state: SendingState, verdict: Verdict): ReputationBanner {
  const copy = copyFor(locale).banner;
  if (state.promotional === 'paused') return { severity: 'critical', code: 'paused', message: copy.paused };
  if (state.promotional === 'slow_start') return { severity: 'info', code: 'slow_start', message: copy.slow_start };
  return verdict.level === 'ok' ? null : { severity: 'warning', code: 'warning', message: copy.warning };
}

/**
 * What `GET /api/stores/:store/reputation` returns and the dashboard shows: rates, thresholds,
 * sending state, history and the banner, worded in `locale` (the API uses the store's).
 */
export async function reputationReport(d: Db, store: Store, locale: string, now: number) {
  const [rates, thresholds, state, row, history] = await Promise.all([
    rollingRates(d, store.id, now),
    thresholdsFor(d, store.id),
    sendingState(d, store.id, now),
    findReputationState(d, store.id),
    listReputationHistory(d, store.id),
  ]);
  const verdict = judge(rates['7d'], thresholds);
  return {
    storeId: store.id,
    state: { ...state, incidentId: row?.incidentId ?? null, reason: row?.reason ?? null, changedAt: row?.changedAt ?? null, acknowledgedAt: row?.acknowledgedAt ?? null },
    banner: bannerOf(locale, state, verdict),
    warnings: verdict.breaches,
    thresholds,
    rates,
    history,
  };
}
export type ReputationReport = Awaited<ReturnType<typeof reputationReport>>;
