import { setContactTag } from '../../db/queries/contact-tags';
import type { Executor } from './types';

export const executeSetTag: Executor<'set_tag'> = async (ctx, action) => {
  await setContactTag(ctx.d, ctx.store.id, ctx.contact.id, action.tag, !action.remove, ctx.now);
  return { status: 'done' };
};
