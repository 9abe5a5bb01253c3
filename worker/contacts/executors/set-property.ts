import { setContactProperty } from '../../db/queries/contact-tags';
import { refreshAfterAction } from '../../segments/dynamic/runs';
import type { Executor } from './types';

export const executeSetProperty: Executor<'set_property'> = async (ctx, action) => {
  await setContactProperty(ctx.d, ctx.store.id, ctx.contact.id, action.key, action.value, ctx.now);
  // Segments on tags and properties follow at once, so a flow starting on their entry runs now, not after the nightly run.
  await refreshAfterAction(ctx);
  return { status: 'done' };
};
