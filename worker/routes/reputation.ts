import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../db/client';
import { findReputationState, listReputationHistory, saveReputationSettings, thresholdsOf } from '../db/queries/reputation';
import { copyFor } from '../deliverability/alert-copy';
import { acknowledgePause, requireStore, sendingState, type SendingState } from '../deliverability/breaker';
import { judge, type Verdict } from '../deliverability/rates';
import { rollingRates, thresholdsFor } from '../deliverability/reputation';
import type { AppEnv } from '../env';
import { AppError } from '../errors';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody } from '../lib/validate';

const Fraction = z.number().min(0).max(1);

/** Rates are fractions (0.001 = 0.1 %). Omitted fields keep their value. */
export const ReputationThresholdsBody = z
  .object({
    complaintWarn: Fraction,
    complaintPause: Fraction,
    hardBounceWarn: Fraction,
    hardBouncePause: Fraction,
    unsubscribeWarn: Fraction,
    unsubscribePause: Fraction,
    minVolume: z.number().int().min(0).max(10_000_000),
    slowStartDailyCap: z.number().int().min(1).max(10_000_000),
  })
  .partial()
  .strict();
export type ReputationThresholdsBody = z.infer<typeof ReputationThresholdsBody>;

type Banner = { severity: 'critical' | 'warning' | 'info'; code: 'paused' | 'warning' | 'slow_start'; message: string } | null;

function bannerOf(locale: string, state: SendingState, verdict: Verdict): Banner {
  const copy = copyFor(locale).banner;
  if (state.promotional === 'paused') return { severity: 'critical', code: 'paused', message: copy.paused };
  if (state.promotional === 'slow_start') return { severity: 'info', code: 'slow_start', message: copy.slow_start };
  return verdict.level === 'ok' ? null : { severity: 'warning', code: 'warning', message: copy.warning };
}

export const reputationRoutes = new Hono<AppEnv>()
  .get('/stores/:store/reputation', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, c.req.param('store'));
    const now = Date.now();
    const [rates, thresholds, state, row, history] = await Promise.all([
      rollingRates(d, store.id, now),
      thresholdsFor(d, store.id),
      sendingState(d, store.id, now),
      findReputationState(d, store.id),
      listReputationHistory(d, store.id),
    ]);
    const verdict = judge(rates['7d'], thresholds);
    return c.json({
      storeId: store.id,
      state: { ...state, incidentId: row?.incidentId ?? null, reason: row?.reason ?? null, changedAt: row?.changedAt ?? null, acknowledgedAt: row?.acknowledgedAt ?? null },
      banner: bannerOf(store.locale, state, verdict),
      warnings: verdict.breaches,
      thresholds,
      rates,
      history,
    });
  })
  .patch('/stores/:store/reputation/thresholds', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, c.req.param('store'));
    const patch = await parseJsonBody(c, ReputationThresholdsBody);
    const next = { ...(await thresholdsFor(d, store.id)), ...patch };
    const inverted = (['complaint', 'hardBounce', 'unsubscribe'] as const).filter((r) => next[`${r}Warn`] > next[`${r}Pause`]);
    if (inverted.length > 0) throw new AppError(400, 'validation_failed', `Warning level above pause level for: ${inverted.join(', ')}`);
    const saved = await saveReputationSettings(d, store.id, next, Date.now());
    return c.json({ thresholds: thresholdsOf(saved) });
  })
  .post('/stores/:store/reputation/ack', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, c.req.param('store'));
    return c.json({ state: await acknowledgePause(d, store.id, Date.now()) });
  });
