import type { Db } from '../../db/client';
import { listContactEnrollments, type EnrollmentRow } from '../../db/queries/enrollments';
import { contactAgentName } from '../domain-events';
import type { JourneyStatus } from './journey-runtime';

/** Every enrollment the contact ever had (D1 mirror, newest first) and what its agent holds now. */
export type ContactJourneys = JourneyStatus & { enrollments: EnrollmentRow[] };

/** The journeys part of `GET /api/contacts/:id`. */
export async function contactJourneys(env: Env, d: Db, storeId: string, contactId: string): Promise<ContactJourneys> {
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contactId));
  const [enrollments, status] = await Promise.all([listContactEnrollments(d, storeId, contactId), agent.journeyStatus()]);
  return { enrollments, running: status.running, pendingTimers: status.pendingTimers, pendingActions: status.pendingActions };
}
