import { addAudienceMember } from '../../db/queries/audiences';
import { currentConsent } from '../../db/queries/consents';
import type { Executor } from './types';

/**
 * One row per (store, audience, contact); a repeat (re-run or second enrollment) changes nothing. An ad audience
 * is marketing: a contact without marketing consent on any channel is not added (the export checks again).
 */
export const executeAddToAudience: Executor<'add_to_audience'> = async (ctx, action) => {
  const { d, store, contact } = ctx;
  const [email, sms] = await Promise.all([
    currentConsent(d, store.id, contact.id, 'email', 'marketing'),
    currentConsent(d, store.id, contact.id, 'sms', 'marketing'),
  ]);
  if (!email?.granted && !sms?.granted) return { status: 'skipped', reason: 'no_marketing_consent' };
  await addAudienceMember(d, {
    storeId: store.id,
    audience: action.audience,
    contactId: contact.id,
    idempotencyKey: action.idempotencyKey,
    addedAt: ctx.now,
  });
  return { status: 'done' };
};
