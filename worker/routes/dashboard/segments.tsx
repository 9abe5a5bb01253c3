import { Hono } from 'hono';
import { z } from 'zod';
import { storePath } from '../../dashboard/layout';
import { BuilderPage, DeletePage, MembersPage } from '../../dashboard/views/segment-builder';
import { rfmGrid, SegmentsPage, type SegmentListItem } from '../../dashboard/views/segments';
import { db, type Db } from '../../db/client';
import { countMatching, memberRows, rfmCells, segmentTrends } from '../../db/queries/segment-dashboard';
import { segmentCounts, type SegmentRow } from '../../db/queries/segment-members';
import type { Store } from '../../db/queries/stores';
import { AppError } from '../../errors';
import { HOT_LEAD } from '../../segments/dynamic/built-in';
import { compileContext } from '../../segments/dynamic/membership';
import { SegmentRules } from '../../segments/dynamic/rules';
import { createSegment, editSegment, listSegments, removeSegment, requireSegment } from '../../segments/dynamic/segment-admin';
import { RFM_WINDOW_DAYS } from '../../segments/rfm';
import { parseQuery } from '../../lib/validate';
import { segmentAudienceCsv } from '../../messaging/audience-export';
import { csvDownload } from '../audiences';
import { base, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';
import { emptyRow, formOf, formOfSegment, parseBuilder, type BuilderErrors, type BuilderForm } from './segment-form';

export const SegmentsPageQuery = z.object({ saved: z.string().max(64).optional().catch(undefined), deleted: z.literal('1').optional().catch(undefined) });
export type SegmentsPageQuery = z.infer<typeof SegmentsPageQuery>;
export const MembersPageQuery = z.object({ after: z.string().min(1).max(64).optional().catch(undefined) });
export type MembersPageQuery = z.infer<typeof MembersPageQuery>;
export const AudienceExportPageQuery = z.object({ channel: z.enum(['email', 'sms']) });
export type AudienceExportPageQuery = z.infer<typeof AudienceExportPageQuery>;

const DAY = 86_400_000;
const TREND_DAYS = 30;
const MEMBERS_PER_PAGE = 50;

const kindOf = (id: string, builtIn: boolean): SegmentListItem['kind'] => (!builtIn ? 'custom' : id === HOT_LEAD ? 'lead' : 'rfm');
const nameIn = (c: DashboardContext, row: { nameFr: string; nameEn: string }) => (c.get('lang') === 'fr' ? row.nameFr : row.nameEn);

async function listPage(c: DashboardContext, store: Store) {
  const d = db(c.env.DB);
  const now = Date.now();
  const segments = await listSegments(d, store.id, now);
  const [trends, cells] = await Promise.all([segmentTrends(d, store.id, now, TREND_DAYS), rfmCells(d, store.id, now - RFM_WINDOW_DAYS * DAY)]);
  const items = segments.map((s): SegmentListItem => ({ id: s.id, name: c.get('lang') === 'fr' ? s.name.fr : s.name.en, kind: kindOf(s.id, s.builtIn), count: s.count, trend: trends.get(s.id) ?? [] }));
  const q = SegmentsPageQuery.parse(c.req.query());
  const t = c.get('t').segments.builder;
  const saved = q.saved ? segments.find((s) => s.id === q.saved) : undefined;
  const notice = saved ? { kind: 'notice' as const, text: t.saved(c.get('lang') === 'fr' ? saved.name.fr : saved.name.en) } : q.deleted ? { kind: 'notice' as const, text: t.deleted } : undefined;
  return c.html(<SegmentsPage {...base(c)} store={store} segments={items} grid={rfmGrid(cells)} notice={notice} />);
}

/** Built-in segments are kept by code: their pages say so in the admin's language (422, not the conflict text). */
async function editableSegment(c: DashboardContext, d: Db, storeId: string, id: string): Promise<SegmentRow> {
  const row = await requireSegment(d, storeId, id);
  if (row.builtIn) throw new AppError(422, 'bad_request', c.get('t').segments.builder.builtIn);
  return row;
}

type View = { segmentId: string | null; form: BuilderForm; errors?: BuilderErrors; notice?: { kind: 'notice' | 'error'; text: string } };

function builder(c: DashboardContext, store: Store, view: View, status: 200 | 400 = 200) {
  const b = c.get('t').segments.builder;
  const title = view.segmentId ? b.editTitle(view.form.nameFr && c.get('lang') === 'fr' ? view.form.nameFr : view.form.nameEn || view.form.nameFr) : b.newTitle;
  return c.html(<BuilderPage {...base(c)} store={store} title={title} segmentId={view.segmentId} form={view.form} errors={view.errors ?? {}} notice={view.notice} />, status);
}

/** The row buttons (add, remove, show a type's fields) only redraw the form; null when the admin asked to save. */
function rowEdit(form: BuilderForm, op: string | undefined): BuilderForm | null {
  if (op === 'add') return { ...form, rows: [...form.rows, emptyRow()] };
  if (op === 'refresh') return form;
  const remove = /^remove\.(\d+)$/.exec(op ?? '');
  if (remove) return { ...form, rows: form.rows.filter((_, i) => i !== Number(remove[1])) };
  return null;
}

async function saveOrRedraw(c: DashboardContext, segmentId: string | null) {
  const store = await requireDashboardStore(c);
  const d = db(c.env.DB);
  if (segmentId) await editableSegment(c, d, store.id, segmentId);
  const fields = c.get('form');
  const form = formOf(fields);
  const redraw = rowEdit(form, fields.op);
  if (redraw) return builder(c, store, { segmentId, form: redraw });
  const parsed = parseBuilder(c.get('t').segments, form);
  if (!parsed.ok) return builder(c, store, { segmentId, form, errors: parsed.errors, notice: { kind: 'error', text: c.get('t').segments.builder.invalid } }, 400);
  const now = Date.now();
  const saved = segmentId ? await editSegment(d, store.id, segmentId, parsed.input, now) : await createSegment(d, store.id, parsed.input, now);
  return c.redirect(`${storePath(store.id, '/segments')}?saved=${encodeURIComponent(saved.id)}`, 303);
}

/** Segments list with trends and the RFM heat map, the builder (same schema and writes as /api/segments), members. */
export const segmentPages = new Hono<DashboardEnv>()
  .get('/:store/segments', async (c) => listPage(c, await requireDashboardStore(c)))
  .get('/:store/segments/new', async (c) => {
    const store = await requireDashboardStore(c);
    return builder(c, store, { segmentId: null, form: { nameFr: '', nameEn: '', match: 'all', rows: [emptyRow()] } });
  })
  .post('/:store/segments/new', (c) => saveOrRedraw(c, null))
  .post('/:store/segments/preview', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const segmentId = c.get('form').segment || null;
    if (segmentId) await editableSegment(c, d, store.id, segmentId);
    const form = formOf(c.get('form'));
    const s = c.get('t').segments;
    const parsed = parseBuilder(s, form);
    if (!parsed.ok) return builder(c, store, { segmentId, form, errors: parsed.errors, notice: { kind: 'error', text: s.builder.invalid } }, 400);
    const n = await countMatching(d, store.id, parsed.input.rules, await compileContext(d, store.id, Date.now()));
    return builder(c, store, { segmentId, form, notice: { kind: 'notice', text: s.builder.previewCount(new Intl.NumberFormat(c.get('lang')).format(n)) } });
  })
  .get('/:store/segments/:id/edit', async (c) => {
    const store = await requireDashboardStore(c);
    const row = await editableSegment(c, db(c.env.DB), store.id, c.req.param('id'));
    const rules = SegmentRules.safeParse(row.rules);
    const form = rules.success ? formOfSegment({ fr: row.nameFr, en: row.nameEn }, rules.data.match) : null;
    if (!form) throw new AppError(422, 'bad_request', c.get('t').segments.builder.nested);
    return builder(c, store, { segmentId: row.id, form });
  })
  .post('/:store/segments/:id/edit', (c) => saveOrRedraw(c, c.req.param('id')))
  .get('/:store/segments/:id/delete', async (c) => {
    const store = await requireDashboardStore(c);
    const row = await editableSegment(c, db(c.env.DB), store.id, c.req.param('id'));
    return c.html(<DeletePage {...base(c)} store={store} segmentId={row.id} name={nameIn(c, row)} />);
  })
  .post('/:store/segments/:id/delete', async (c) => {
    const store = await requireDashboardStore(c);
    await removeSegment(db(c.env.DB), store.id, c.req.param('id'));
    return c.redirect(`${storePath(store.id, '/segments')}?deleted=1`, 303);
  })
  // Ends in /export: a download, which the console crawl does not open as a page.
  .get('/:store/segments/:id/audience/export', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const row = await requireSegment(d, store.id, c.req.param('id'));
    const { channel } = parseQuery(c, AudienceExportPageQuery);
    return csvDownload(c, await segmentAudienceCsv(d, store.id, row.id, channel), `${store.id}-${row.id}-${channel}.csv`);
  })
  .get('/:store/segments/:id', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const row = await requireSegment(d, store.id, c.req.param('id'));
    const q = MembersPageQuery.parse(c.req.query());
    const [members, counts] = await Promise.all([memberRows(d, store.id, row.id, MEMBERS_PER_PAGE, q.after), segmentCounts(d, store.id)]);
    const next = members.length === MEMBERS_PER_PAGE ? (members.at(-1)?.contactId ?? null) : null;
    return c.html(<MembersPage {...base(c)} store={store} segmentId={row.id} name={nameIn(c, row)} count={counts.get(row.id) ?? 0} members={members} next={next} after={q.after} />);
  });
