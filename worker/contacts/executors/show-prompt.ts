import { savePrompt } from '../../db/queries/prompts';
import { newId } from '../../lib/ids';
import { isPromptTemplateId } from '../../messaging/prompt-templates';
import type { Executor } from './types';

/** Stores the prompt; `GET /widgets/prompt` serves it to any visitor of the contact until it expires. */
export const executeShowPrompt: Executor<'show_prompt'> = async (ctx, action) => {
  if (!isPromptTemplateId(action.template)) return { status: 'skipped', reason: `unknown prompt template ${action.template}` };
  if (action.expiresAt <= ctx.now) return { status: 'skipped', reason: 'prompt expired before it was stored' };
  await savePrompt(ctx.d, {
    id: newId('pr'),
    storeId: ctx.store.id,
    contactId: ctx.contact.id,
    idempotencyKey: action.idempotencyKey,
    template: action.template,
    context: { ...action.context },
    createdAt: ctx.now,
    expiresAt: action.expiresAt,
  });
  return { status: 'done' };
};
