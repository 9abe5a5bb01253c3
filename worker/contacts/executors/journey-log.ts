import { recordJourneyLog } from '../../db/queries/enrollments';
import type { Executor } from './types';

/** Journey bookkeeping into D1: the log and the enrollment mirror dashboards and the contact view read. */
export const executeJourneyLog: Executor<'journey_log'> = async (ctx, action) => {
  const { type: _t, ...entry } = action;
  await recordJourneyLog(ctx.d, { ...entry, storeId: ctx.store.id, contactId: ctx.contact.id }, ctx.now);
  return { status: 'done' };
};
