import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { AppError, notFound } from '../errors';
import { db, type Db } from '../db/client';
import { findContact } from '../db/queries/contacts';
import {
  dismissPrompt,
  dismissPromptForVisitor,
  enrollmentExited,
  findPendingPromptsForVisitor,
  markPromptShown,
  orderedSince,
  type Prompt,
} from '../db/queries/prompts';
import { findStore, findStoreBySiteKey, type Store } from '../db/queries/stores';
import { isPromptTemplateId, renderPrompt } from '../messaging/prompt-templates';
import { parseQuery } from '../lib/validate';

/** The tracker names its store by id or site key (both public) and sends its first-party visitor id. */
export const PromptQuery = z.object({
  store: z.string().min(1).max(128),
  vid: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a visitor id'),
});
export type PromptQuery = z.infer<typeof PromptQuery>;

async function storeByIdOrKey(d: Db, idOrKey: string): Promise<Store | undefined> {
  return (await findStore(d, idOrKey)) ?? (await findStoreBySiteKey(d, idOrKey));
}

/** Answers only pages of the store's own origins; the answer is personal, so never cached. */
export async function storeForPage(c: Context<AppEnv>, idOrKey: string | undefined): Promise<Store> {
  const store = idOrKey ? await storeByIdOrKey(db(c.env.DB), idOrKey) : undefined;
  if (!store) throw notFound('Store');
  const origin = c.req.header('Origin');
  if (!origin || !store.allowedOrigins.includes(origin)) throw new AppError(403, 'forbidden', 'Origin not allowed for this store');
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Vary', 'Origin');
  c.header('Cache-Control', 'private, no-store');
  return store;
}

/** `<enrollment id>:<node id>` (journeys/README.md): node ids never contain a colon. */
const enrollmentOf = (idempotencyKey: string) => idempotencyKey.slice(0, idempotencyKey.lastIndexOf(':'));

/**
 * A stored prompt outlives the step that made it, so it is checked when served: its journey must
 * not have exited (an order paid ends the cart journey), and a cart prompt ends with any order.
 * Dead prompts are dismissed so they are not checked again.
 */
async function livePrompt(d: Db, storeId: string, candidates: Prompt[], now: number): Promise<Prompt | undefined> {
  for (const prompt of candidates) {
    const dead =
      !isPromptTemplateId(prompt.template) ||
      (await enrollmentExited(d, storeId, enrollmentOf(prompt.idempotencyKey))) ||
      (prompt.template === 'cart.prompt' && (await orderedSince(d, storeId, prompt.contactId, prompt.createdAt)));
    if (!dead) return prompt;
    await dismissPrompt(d, storeId, prompt.id, now);
  }
  return undefined;
}

/** The live prompt for this visitor, rendered in its contact's language and marked shown; null if none. */
export async function promptForVisitor(d: Db, store: Store, vid: string, now: number) {
  const prompt = await livePrompt(d, store.id, await findPendingPromptsForVisitor(d, store.id, vid, now), now);
  if (!prompt || !isPromptTemplateId(prompt.template)) return null;
  const contact = await findContact(d, store.id, prompt.contactId);
  const rendered = renderPrompt(prompt.template, contact?.locale ?? store.locale, prompt.context);
  await markPromptShown(d, store.id, prompt.id, now);
  return { id: prompt.id, ...rendered, expiresAt: prompt.expiresAt };
}

export function preflight(methods: string) {
  return async (c: Context<AppEnv>) => {
    await storeForPage(c, c.req.query('store'));
    c.header('Access-Control-Allow-Methods', methods);
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  };
}

/**
 * `GET /widgets/prompt`: the on-site prompt waiting for this visitor's contact (rendered text in
 * the contact's or store's language), or 204. `POST /widgets/prompt/:id/dismiss` hides it for good.
 */
export const widgets = new Hono<AppEnv>()
  .options('/widgets/prompt', preflight('GET, OPTIONS'))
  .options('/widgets/prompt/:id/dismiss', preflight('POST, OPTIONS'))
  .get('/widgets/prompt', async (c) => {
    const store = await storeForPage(c, c.req.query('store'));
    const query = parseQuery(c, PromptQuery);
    const d = db(c.env.DB);
    const prompt = await promptForVisitor(d, store, query.vid, Date.now());
    return prompt ? c.json(prompt) : c.body(null, 204);
  })
  .post('/widgets/prompt/:id/dismiss', async (c) => {
    const store = await storeForPage(c, c.req.query('store'));
    const query = parseQuery(c, PromptQuery);
    const found = await dismissPromptForVisitor(db(c.env.DB), store.id, c.req.param('id'), query.vid, Date.now());
    if (!found) throw notFound('Prompt');
    return c.body(null, 204);
  });
