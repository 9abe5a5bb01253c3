import type { SegmentChanged } from '../../contacts/domain-events';
import type { Db } from '../../db/client';
import { findSegmentRun } from '../../db/queries/contact-scores';
import {
  applyContactMembership,
  contactSegmentIds,
  listSegmentRows,
  matchingSegments,
  recomputeSegment,
  upsertSegments,
  type SegmentDiff,
  type SegmentRow,
} from '../../db/queries/segment-members';
import type { CompileContext } from '../../db/queries/segment-sql';
import { leadSettingsOf } from '../scores/lead-settings';
import { builtInSegments } from './built-in';
import { SegmentRules } from './rules';

export type CompiledSegment = { id: string; rules: SegmentRules };

/** The store's segments whose stored rules still read as the current language (a row that does not is skipped, not fatal). */
export function readableSegments(rows: SegmentRow[]): CompiledSegment[] {
  return rows.flatMap((row) => {
    const rules = SegmentRules.safeParse(row.rules);
    if (!rules.success) console.error('segment rules do not parse; skipped', { store: row.storeId, segment: row.id });
    return rules.success ? [{ id: row.id, rules: rules.data }] : [];
  });
}

export async function compileContext(d: Db, storeId: string, now: number): Promise<CompileContext> {
  const run = await findSegmentRun(d, storeId);
  return { now, halfLifeDays: leadSettingsOf(run?.leadScoreConfig).halfLifeDays };
}

/** Makes sure the store has its built-in segments in their current definition (and hot-lead threshold). */
export async function ensureBuiltIns(d: Db, storeId: string, now: number): Promise<void> {
  const run = await findSegmentRun(d, storeId);
  await upsertSegments(d, builtInSegments(storeId, leadSettingsOf(run?.leadScoreConfig).hotThreshold, now));
}

export function changeEvents(storeId: string, segmentId: string, diff: SegmentDiff, now: number): SegmentChanged[] {
  const event = (contactId: string, change: 'entered' | 'exited'): SegmentChanged => ({
    id: `segment:${segmentId}:${change}:${contactId}:${now}`,
    storeId,
    contactId,
    occurredAt: now,
    type: `segment.${change}`,
    segment: segmentId,
  });
  return [...diff.entered.map((c) => event(c, 'entered')), ...diff.exited.map((c) => event(c, 'exited'))];
}

/** Full recompute of every segment of the store; returns the entries and exits as domain events. */
export async function recomputeStoreSegments(d: Db, storeId: string, now: number): Promise<SegmentChanged[]> {
  const ctx = await compileContext(d, storeId, now);
  const changes: SegmentChanged[] = [];
  for (const segment of readableSegments(await listSegmentRows(d, storeId))) {
    changes.push(...changeEvents(storeId, segment.id, await recomputeSegment(d, storeId, segment.id, segment.rules, ctx), now));
  }
  return changes;
}

/** Incremental update for one contact whose data changed: the same compiled rules, restricted to them. */
export async function refreshContactSegments(d: Db, storeId: string, contactId: string, now: number): Promise<SegmentChanged[]> {
  const segments = readableSegments(await listSegmentRows(d, storeId));
  if (segments.length === 0) return [];
  const [matches, current] = await Promise.all([
    matchingSegments(d, storeId, contactId, segments, await compileContext(d, storeId, now)),
    contactSegmentIds(d, storeId, contactId),
  ]);
  const entered = [...matches].filter((id) => !current.has(id));
  const exited = segments.map((s) => s.id).filter((id) => current.has(id) && !matches.has(id));
  await applyContactMembership(d, storeId, contactId, { entered, exited }, now);
  const mine = (ids: string[], id: string) => (ids.includes(id) ? [contactId] : []);
  return segments.flatMap((s) => changeEvents(storeId, s.id, { entered: mine(entered, s.id), exited: mine(exited, s.id) }, now));
}
