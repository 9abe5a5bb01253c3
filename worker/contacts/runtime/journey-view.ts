import type { Db } from '../../db/client';
import { listContactEnrollments, type EnrollmentRow } from '../../db/queries/enrollments';
import { contactAgentName } from '../domain-events';
import { pendingTimers, type JourneyState, type PendingTimer } from '../../journeys/state';
import type { OutboxEntry } from './journey-outbox';

/** What the admin sees of the agent's journeys: plain data only (it crosses the RPC boundary). */
export type JourneyStatus = {
  running: { id: string; flowId: string; flowVersion: number; cursor: string; enteredAt: number; timer: { id: string; dueAt: number; kind: string } | null }[];
  pendingTimers: PendingTimer[];
  /** Actions decided but not finished (deferred to quiet hours, waiting for a retry). */
  pendingActions: { seq: number; dueAt: number | null; attempts: number; type: string; idempotencyKey: string | null }[];
};

/** The agent's state and outbox as the admin sees them. */
export function journeyStatusOf(state: JourneyState, outbox: OutboxEntry[]): JourneyStatus {
  return {
    running: state.active.map((e) => ({ id: e.id, flowId: e.flowId, flowVersion: e.flowVersion, cursor: e.cursor, enteredAt: e.enteredAt, timer: e.timer })),
    pendingTimers: pendingTimers(state),
    pendingActions: outbox.map((o) => ({
      seq: o.seq,
      dueAt: o.dueAt,
      attempts: o.attempts,
      type: o.action.type,
      idempotencyKey: o.action.type === 'journey_log' ? null : o.action.idempotencyKey,
    })),
  };
}

/** Every enrollment the contact ever had (D1 mirror, newest first) and what its agent holds now. */
export type ContactJourneys = JourneyStatus & { enrollments: EnrollmentRow[] };

/** The journeys part of `GET /api/contacts/:id`. */
export async function contactJourneys(env: Env, d: Db, storeId: string, contactId: string): Promise<ContactJourneys> {
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contactId));
  const [enrollments, status] = await Promise.all([listContactEnrollments(d, storeId, contactId), agent.journeyStatus()]);
  return { enrollments, running: status.running, pendingTimers: status.pendingTimers, pendingActions: status.pendingActions };
}
