import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../db/client';
import { saveReputationSettings, thresholdsOf } from '../db/queries/reputation';
import { acknowledgePause, requireStore } from '../deliverability/breaker';
import { reputationReport } from '../deliverability/report';
import { thresholdsFor } from '../deliverability/reputation';
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

export const reputationRoutes = new Hono<AppEnv>()
  .get('/stores/:store/reputation', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, c.req.param('store'));
    return c.json(await reputationReport(d, store, store.locale, Date.now()));
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
