import type { Db } from '../../db/client';
import { saveSegmentRun } from '../../db/queries/contact-scores';
import {
  deleteSegment,
  findSegment,
  insertSegment,
  listSegmentRows,
  recomputeSegment,
  segmentCounts,
  updateSegment,
  type SegmentRow,
} from '../../db/queries/segment-members';
import { deleteSegmentGuardrail } from '../../db/queries/segment-guardrails';
import { AppError, notFound } from '../../errors';
import { newId } from '../../lib/ids';
import type { LeadScoreSettings } from '../scores/lead-settings';
import { HOT_LEAD, hotLeadRules } from './built-in';
import { compileContext, ensureBuiltIns } from './membership';
import type { SegmentRules } from './rules';

export type SegmentView = {
  id: string;
  name: { fr: string; en: string };
  builtIn: boolean;
  version: number;
  rules: unknown;
  count: number;
  createdAt: number;
  updatedAt: number;
};
export type SegmentInput = { name: { fr: string; en: string }; rules: SegmentRules };

const view = (row: SegmentRow, count: number): SegmentView => ({
  id: row.id,
  name: { fr: row.nameFr, en: row.nameEn },
  builtIn: row.builtIn,
  version: row.version,
  rules: row.rules,
  count,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** Every segment of the store with its member count; the built-in ones (11 RFM, hot leads) exist from the first call. */
export async function listSegments(d: Db, storeId: string, now: number): Promise<SegmentView[]> {
  await ensureBuiltIns(d, storeId, now);
  const [rows, counts] = await Promise.all([listSegmentRows(d, storeId), segmentCounts(d, storeId)]);
  return rows.map((row) => view(row, counts.get(row.id) ?? 0));
}

export async function requireSegment(d: Db, storeId: string, id: string): Promise<SegmentRow> {
  const row = await findSegment(d, storeId, id);
  if (!row) throw notFound(`Segment ${id}`);
  return row;
}

/**
 * Membership of a new or edited segment is computed at once, silently: the contacts who already match were not
 * "entering" anything, and a flow on this segment reacts to the changes from now on.
 */
async function baseline(d: Db, storeId: string, id: string, rules: SegmentRules, now: number): Promise<number> {
  const diff = await recomputeSegment(d, storeId, id, rules, await compileContext(d, storeId, now));
  return diff.entered.length;
}

export async function createSegment(d: Db, storeId: string, input: SegmentInput, now: number): Promise<SegmentView> {
  const id = newId('seg');
  await insertSegment(d, { id, storeId, nameFr: input.name.fr, nameEn: input.name.en, rules: input.rules, version: 1, builtIn: false, createdAt: now, updatedAt: now });
  await baseline(d, storeId, id, input.rules, now);
  return segmentView(d, storeId, id);
}

async function segmentView(d: Db, storeId: string, id: string): Promise<SegmentView> {
  const [row, counts] = await Promise.all([requireSegment(d, storeId, id), segmentCounts(d, storeId)]);
  return view(row, counts.get(id) ?? 0);
}

function editable(row: SegmentRow): void {
  if (row.builtIn) throw new AppError(409, 'conflict', `Segment ${row.id} is built in: it cannot be edited or deleted`);
}

export async function editSegment(d: Db, storeId: string, id: string, patch: Partial<SegmentInput>, now: number): Promise<SegmentView> {
  const row = await requireSegment(d, storeId, id);
  editable(row);
  const names = patch.name ? { nameFr: patch.name.fr, nameEn: patch.name.en } : {};
  await updateSegment(d, storeId, id, { ...names, ...(patch.rules ? { rules: patch.rules, version: row.version + 1 } : {}), updatedAt: now });
  if (patch.rules) await baseline(d, storeId, id, patch.rules, now);
  return segmentView(d, storeId, id);
}

export async function removeSegment(d: Db, storeId: string, id: string): Promise<void> {
  editable(await requireSegment(d, storeId, id));
  await deleteSegment(d, storeId, id);
  // A guardrail scoped to a segment that no longer exists would apply to nobody: it goes with it.
  await deleteSegmentGuardrail(d, storeId, id);
}

/** Saves the store's lead scoring and moves the hot-lead threshold with it. */
export async function saveLeadSettings(d: Db, storeId: string, settings: LeadScoreSettings, now: number): Promise<void> {
  await saveSegmentRun(d, storeId, { leadScoreConfig: settings });
  await ensureBuiltIns(d, storeId, now);
  await updateSegment(d, storeId, HOT_LEAD, { rules: hotLeadRules(settings.hotThreshold), updatedAt: now });
}
