import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { journeyEnrollments, journeyLog } from '../schema';
import { enrollmentTransitionStatements, type EnrollmentTransition } from './flow-rollups';

export type EnrollmentRow = typeof journeyEnrollments.$inferSelect;
export type JourneyLogRow = typeof journeyLog.$inferSelect;

export type JourneyLogEntry = {
  storeId: string;
  contactId: string;
  flowId: string;
  flowVersion: number;
  enrollmentId: string;
  what: string;
  nodeId?: string | undefined;
  reason?: string | undefined;
  variant?: string | undefined;
  heldOut?: boolean | undefined;
  at: number;
};

type Mirror = Pick<EnrollmentRow, 'status' | 'exitReason' | 'endedAt' | 'converted' | 'variant'>;

/** How a log entry changes the mirrored enrollment; null when it does not change it. */
function mirrorChange(e: JourneyLogEntry): Partial<Mirror> | null {
  switch (e.what) {
    case 'completed':
      return { status: 'completed', endedAt: e.at };
    case 'exited':
      return { status: 'exited', exitReason: e.reason ?? null, endedAt: e.at };
    case 'converted':
      return { converted: true };
    case 'assigned':
      return e.variant ? { variant: e.variant } : null;
    default:
      return null;
  }
}

const COUNTED: Record<string, EnrollmentTransition['kind']> = { enrolled: 'entered', exited: 'exited', completed: 'completed', converted: 'goalReached' };

/** What the entry adds to the flow's results (once per enrollment and kind). */
function resultStatements(d: Db, e: JourneyLogEntry) {
  const kind = COUNTED[e.what];
  if (!kind) return [];
  const { storeId, enrollmentId, flowId, flowVersion, reason, at } = e;
  return enrollmentTransitionStatements(d, { storeId, enrollmentId, flowId, flowVersion, kind, reason, at });
}

/**
 * Appends a journey log entry once (keyed by enrollment, kind, node and time) and keeps the
 * enrollment mirror in step; running the same entry again writes nothing new.
 */
export async function recordJourneyLog(d: Db, e: JourneyLogEntry, now: number): Promise<void> {
  const logKey = `${e.enrollmentId}:${e.what}:${e.nodeId ?? ''}:${e.at}`;
  const { variant: _v, heldOut, ...logged } = e;
  const log = d
    .insert(journeyLog)
    .values({ ...logged, nodeId: e.nodeId ?? null, reason: e.reason ?? null, logKey })
    .onConflictDoNothing();
  const key = { storeId: e.storeId, id: e.enrollmentId };
  const base = { ...key, contactId: e.contactId, flowId: e.flowId, flowVersion: e.flowVersion, enteredAt: e.at, updatedAt: now };
  const change = mirrorChange(e);
  if (e.what === 'enrolled') {
    await d.batch([log, d.insert(journeyEnrollments).values({ ...base, status: 'active', heldOut: heldOut === true }).onConflictDoNothing(), ...resultStatements(d, e)]);
    return;
  }
  const set = { ...(change ?? {}), flowVersion: e.flowVersion, updatedAt: now };
  await d.batch([
    log,
    d.insert(journeyEnrollments).values({ ...base, status: 'active', ...(change ?? {}) }).onConflictDoUpdate({
      target: [journeyEnrollments.storeId, journeyEnrollments.id],
      set,
    }),
    ...resultStatements(d, e),
  ]);
}

export async function listContactEnrollments(d: Db, storeId: string, contactId: string, limit = 100): Promise<EnrollmentRow[]> {
  return d
    .select()
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.storeId, storeId), eq(journeyEnrollments.contactId, contactId)))
    .orderBy(desc(journeyEnrollments.enteredAt), desc(journeyEnrollments.id))
    .limit(limit)
    .all();
}

export async function listEnrollmentLog(d: Db, storeId: string, enrollmentId: string): Promise<JourneyLogRow[]> {
  return d
    .select()
    .from(journeyLog)
    .where(and(eq(journeyLog.storeId, storeId), eq(journeyLog.enrollmentId, enrollmentId)))
    .orderBy(journeyLog.seq)
    .all();
}

/** Contacts with a running enrollment in a flow (from the mirror), to wake their agents after an edit. */
export async function activeEnrollmentContacts(d: Db, storeId: string, flowId: string, limit: number): Promise<string[]> {
  const rows = await d
    .selectDistinct({ contactId: journeyEnrollments.contactId })
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.storeId, storeId), eq(journeyEnrollments.flowId, flowId), eq(journeyEnrollments.status, 'active')))
    .limit(limit)
    .all();
  return rows.map((r) => r.contactId);
}
