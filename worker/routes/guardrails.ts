import { Hono } from 'hono';
import { z } from 'zod';
import { db, type Db } from '../db/client';
import { findGuardrailSettings, updateGuardrailSettings, DEFAULT_GUARDRAILS, type GuardrailSettings } from '../db/queries/guardrail-settings';
import { hibernationStats } from '../db/queries/hibernation';
import { deleteSegmentGuardrail, listSegmentGuardrails, saveSegmentGuardrail } from '../db/queries/segment-guardrails';
import { requireSegment } from '../segments/dynamic/segment-admin';
import { findStore } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { badRequest, notFound } from '../errors';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody } from '../lib/validate';

const Count = (max: number) => z.int().min(1).max(max).optional();
const Days = (min: number, max: number) => z.int().min(min).max(max).optional();
const Hour = z.int().min(0).max(24).optional();
const Clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Expected a time such as 08:00 (24:00 = midnight at the end of the day)').optional();
/** ISO weekdays, 1 = Monday … 7 = Sunday. */
const Weekdays = z.array(z.int().min(1).max(7)).min(1).max(7).refine((d) => new Set(d).size === d.length, 'Each weekday once')
  .transform((d) => [...d].sort((a, b) => a - b))
  .optional();

export const GuardrailsBody = z
  .object({
    emailCap: Count(50),
    emailWindowDays: Days(1, 90),
    smsCap: Count(50),
    smsWindowDays: Days(1, 90),
    overallCap: Count(100),
    overallWindowDays: Days(1, 90),
    hibernationDays: Days(7, 3650),
    wakeHour: Hour,
    sleepHour: Hour,
    sendTimeOptimization: z.boolean().optional(),
    sendTimeMinEngagements: Count(1000),
    /** 0 turns the re-promotion exclusion off. */
    repromotionDays: Days(0, 365),
    oneFlowPerDay: z.boolean().optional(),
    /** SMS go out from smsOpens to smsCloses on smsDays, on the contact's clock. */
    smsOpens: Clock,
    smsCloses: Clock,
    smsDays: Weekdays,
  })
  .strict();
export type GuardrailsBody = z.infer<typeof GuardrailsBody>;

/**
 * A guardrail for one segment's members: no promotional send at all, and/or at most `cap` per channel in `windowDays`,
 * and/or hibernation after `hibernationDays` without activity (when shorter than the store's).
 */
export const SegmentGuardrailBody = z
  .strictObject({
    exclude: z.boolean().default(false),
    cap: z.int().min(1).max(50).nullable().default(null),
    windowDays: z.int().min(1).max(90).default(7),
    hibernationDays: z.int().min(7).max(3650).nullable().default(null),
  })
  .refine((r) => r.exclude || r.cap !== null || r.hibernationDays !== null, { message: 'A segment rule excludes, caps or hibernates its members', path: ['cap'] });
export type SegmentGuardrailBody = z.infer<typeof SegmentGuardrailBody>;

/** The one write of a segment-scoped guardrail (API and dashboard); the segment must be one of the store's. */
export async function saveSegmentGuardrailRule(d: Db, storeId: string, segmentId: string, body: SegmentGuardrailBody, now: number): Promise<void> {
  const segment = await requireSegment(d, storeId, segmentId);
  await saveSegmentGuardrail(d, storeId, { segmentId: segment.id, ...body }, now);
}

/**
 * The one write of guardrails, for the API and the dashboard: the patch is checked against the stored
 * values it leaves alone (a window must open before it closes); `details.field` names the field at fault.
 */
export async function saveGuardrails(d: Db, storeId: string, body: GuardrailsBody, now: number): Promise<GuardrailSettings> {
  const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  const merged = { ...(await findGuardrailSettings(d, storeId)), ...patch };
  if (merged.wakeHour >= merged.sleepHour) throw badRequest('wakeHour must be before sleepHour', { field: 'sleepHour', wakeHour: merged.wakeHour, sleepHour: merged.sleepHour });
  if (merged.smsOpens >= merged.smsCloses) throw badRequest('smsOpens must be before smsCloses', { field: 'smsCloses', smsOpens: merged.smsOpens, smsCloses: merged.smsCloses });
  return updateGuardrailSettings(d, storeId, patch, now);
}

async function requireStore(c: { env: Env }, storeId: string) {
  const d = db(c.env.DB);
  if (!(await findStore(d, storeId))) throw notFound(`Store ${storeId}`);
  return d;
}

/** Per-store send guardrails and those scoped to a segment, with how many contacts the last hibernation run put to sleep. */
export const guardrailsRoutes = new Hono<AppEnv>()
  .get('/stores/:store/guardrails', adminAuth(), async (c) => {
    const storeId = c.req.param('store');
    const d = await requireStore(c, storeId);
    const [settings, hibernation, segments] = await Promise.all([findGuardrailSettings(d, storeId), hibernationStats(d, storeId), listSegmentGuardrails(d, storeId)]);
    return c.json({ storeId, settings, defaults: DEFAULT_GUARDRAILS, hibernation, segments });
  })
  .put('/stores/:store/guardrails/segments/:segment', adminAuth(), async (c) => {
    const storeId = c.req.param('store');
    const d = await requireStore(c, storeId);
    await saveSegmentGuardrailRule(d, storeId, c.req.param('segment'), await parseJsonBody(c, SegmentGuardrailBody), Date.now());
    return c.json({ storeId, segments: await listSegmentGuardrails(d, storeId) });
  })
  .delete('/stores/:store/guardrails/segments/:segment', adminAuth(), async (c) => {
    const storeId = c.req.param('store');
    const d = await requireStore(c, storeId);
    if (!(await deleteSegmentGuardrail(d, storeId, c.req.param('segment')))) throw notFound(`Segment rule ${c.req.param('segment')}`);
    return c.body(null, 204);
  })
  .patch('/stores/:store/guardrails', adminAuth(), async (c) => {
    const storeId = c.req.param('store');
    const d = await requireStore(c, storeId);
    const settings = await saveGuardrails(d, storeId, await parseJsonBody(c, GuardrailsBody), Date.now());
    return c.json({ storeId, settings, defaults: DEFAULT_GUARDRAILS, hibernation: await hibernationStats(d, storeId) });
  });
