import { setContactTag } from '../../db/queries/contact-tags';
import { refreshAfterAction } from '../../segments/dynamic/runs';
import type { Executor } from './types';

export const executeSetTag: Executor<'set_tag'> = async (ctx, action) => {
  await setContactTag(ctx.d, ctx.store.id, ctx.contact.id, action.tag, !action.remove, ctx.now);
  // Segments on tags and properties follow at once, so a flow starting on their entry runs now, not after the nightly run.
  await refreshAfterAction(ctx);
  return { status: 'done' };
};
