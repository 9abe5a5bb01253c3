import { Hono } from 'hono';
import { z } from 'zod';
import { db, type Db } from '../db/client';
import { findSegmentRun } from '../db/queries/contact-scores';
import { segmentMemberPage } from '../db/queries/segment-members';
import { findStore, type Store } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody, parseQuery } from '../lib/validate';
import { segmentAudienceCsv } from '../messaging/audience-export';
import { csvDownload } from './audiences';
import { SegmentRules } from '../segments/dynamic/rules';
import { createSegment, editSegment, listSegments, removeSegment, requireSegment, saveLeadSettings } from '../segments/dynamic/segment-admin';
import { LeadScoreSettings, leadSettingsOf } from '../segments/scores/lead-settings';

const StoreId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
export const SegmentsQuery = z.object({ store: StoreId });
export type SegmentsQuery = z.infer<typeof SegmentsQuery>;
export const MembersQuery = z.object({
  store: StoreId,
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().min(1).max(64).optional(),
});
export type MembersQuery = z.infer<typeof MembersQuery>;
/** Without a channel the file holds both identifiers, each only where its channel's consent is granted. */
export const SegmentAudienceQuery = z.object({ store: StoreId, channel: z.enum(['email', 'sms']).optional() });
export type SegmentAudienceQuery = z.infer<typeof SegmentAudienceQuery>;
const SegmentName = z.strictObject({ fr: z.string().trim().min(1).max(80), en: z.string().trim().min(1).max(80) });
export const SegmentInput = z.strictObject({ name: SegmentName, rules: SegmentRules });
export type SegmentInput = z.infer<typeof SegmentInput>;
export const SegmentPatch = z.strictObject({ name: SegmentName.optional(), rules: SegmentRules.optional() });
export type SegmentPatch = z.infer<typeof SegmentPatch>;

async function requireStore(d: Db, storeId: string): Promise<Store> {
  const store = await findStore(d, storeId);
  if (!store) throw notFound(`Store ${storeId}`);
  return store;
}

/** Dynamic segments (custom and built-in), their members (and as a hashed ad-platform audience), and the store's lead-score settings. */
export const segmentRoutes = new Hono<AppEnv>()
  .get('/segments', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, parseQuery(c, SegmentsQuery).store);
    return c.json({ segments: await listSegments(d, store.id, Date.now()) });
  })
  .post('/segments', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, parseQuery(c, SegmentsQuery).store);
    const input = await parseJsonBody(c, SegmentInput);
    return c.json({ segment: await createSegment(d, store.id, input, Date.now()) }, 201);
  })
  .get('/segments/:id/members', adminAuth(), async (c) => {
    const q = parseQuery(c, MembersQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    const segment = await requireSegment(d, store.id, c.req.param('id'));
    const members = await segmentMemberPage(d, store.id, segment.id, q.limit, q.after);
    const next = members.length === q.limit ? (members.at(-1)?.contactId ?? null) : null;
    return c.json({ segment: segment.id, members, next });
  })
  .get('/segments/:id/audience.csv', adminAuth(), async (c) => {
    const q = parseQuery(c, SegmentAudienceQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    const segment = await requireSegment(d, store.id, c.req.param('id'));
    const csv = await segmentAudienceCsv(d, store.id, segment.id, q.channel);
    return csvDownload(c, csv, `${store.id}-${segment.id}${q.channel ? `-${q.channel}` : ''}.csv`);
  })
  .patch('/segments/:id', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, parseQuery(c, SegmentsQuery).store);
    const patch = await parseJsonBody(c, SegmentPatch);
    return c.json({ segment: await editSegment(d, store.id, c.req.param('id'), patch, Date.now()) });
  })
  .delete('/segments/:id', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, parseQuery(c, SegmentsQuery).store);
    await removeSegment(d, store.id, c.req.param('id'));
    return c.body(null, 204);
  })
  .get('/lead-score', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, parseQuery(c, SegmentsQuery).store);
    return c.json({ settings: leadSettingsOf((await findSegmentRun(d, store.id))?.leadScoreConfig) });
  })
  .put('/lead-score', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await requireStore(d, parseQuery(c, SegmentsQuery).store);
    const settings = await parseJsonBody(c, LeadScoreSettings);
    await saveLeadSettings(d, store.id, settings, Date.now());
    return c.json({ settings });
  });
