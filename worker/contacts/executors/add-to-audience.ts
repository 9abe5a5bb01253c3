import { addAudienceMember } from '../../db/queries/audiences';
import type { Executor } from './types';

/** One row per (store, audience, contact); a repeat (re-run or second enrollment) changes nothing. */
export const executeAddToAudience: Executor<'add_to_audience'> = async (ctx, action) => {
  await addAudienceMember(ctx.d, {
    storeId: ctx.store.id,
    audience: action.audience,
    contactId: ctx.contact.id,
    idempotencyKey: action.idempotencyKey,
    addedAt: ctx.now,
  });
  return { status: 'done' };
};
