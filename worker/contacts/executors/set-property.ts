import { setContactProperty } from '../../db/queries/contact-tags';
import type { Executor } from './types';

export const executeSetProperty: Executor<'set_property'> = async (ctx, action) => {
  await setContactProperty(ctx.d, ctx.store.id, ctx.contact.id, action.key, action.value, ctx.now);
  return { status: 'done' };
};
