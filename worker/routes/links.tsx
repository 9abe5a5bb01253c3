import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { db } from '../db/client';
import { findCurrentContact } from '../db/queries/contact-merge';
import { findStore } from '../db/queries/stores';
import { recordClick, recordOpen, verifyClick, verifyOpen, verifyUnsubscribe } from '../messaging/email/tracking';
import { unsubscribeEmail } from '../messaging/email/unsubscribe';
import { countClick, countOpen, countUnsubscribe } from '../measurement/engagement';
import { NotFoundPage, UnsubscribeConfirmPage, UnsubscribedPage } from './link-pages';
import { afterUnsubscribe } from '../segments/dynamic/runs';

/** A transparent 1×1 GIF. */
const PIXEL = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (ch) => ch.charCodeAt(0));

function noStore(c: Context<AppEnv>): void {
  c.header('Cache-Control', 'private, no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex');
}

function notFoundPage(c: Context<AppEnv>) {
  noStore(c);
  return c.html(<NotFoundPage />, 404);
}

/** The unsubscribe token's contact and store, or null for a forged token or an erased contact. */
async function unsubscribeTarget(c: Context<AppEnv>) {
  const d = db(c.env.DB);
  const ref = await verifyUnsubscribe(d, c.req.param('token') ?? '');
  if (!ref) return null;
  const [store, contact] = await Promise.all([findStore(d, ref.storeId), findCurrentContact(d, ref.storeId, ref.contactId)]);
  return store && contact ? { d, store, contact, sendId: ref.sendId, locale: contact.locale ?? store.locale } : null;
}

/**
 * Email link routes (DESIGN §4). Click targets live inside the signed token, so only URLs we
 * signed are ever redirected to; anything forged gets a 404 page, never a redirect.
 */
export const links = new Hono<AppEnv>()
  .get('/c/:token', async (c) => {
    const d = db(c.env.DB);
    const verified = await verifyClick(d, c.req.param('token'));
    if (!verified) return notFoundPage(c);
    // The person reaches the page even if bookkeeping fails; the click row is written first.
    const now = Date.now();
    await recordClick(c.env, d, verified, now).catch((err: unknown) => console.error('click not fully recorded', err));
    const seen = { userAgent: c.req.header('User-Agent'), at: now, method: c.req.method };
    await countClick(d, verified.message, seen).catch((err: unknown) => console.error('click not counted in results', err));
    noStore(c);
    return c.redirect(verified.click.url, 302);
  })
  .get('/o/:token', async (c) => {
    const d = db(c.env.DB);
    const message = await verifyOpen(d, c.req.param('token'));
    const now = Date.now();
    if (message) {
      await recordOpen(c.env, d, message, now).catch((err: unknown) => console.error('open not recorded', err));
      await countOpen(d, message, { userAgent: c.req.header('User-Agent'), at: now }).catch((err: unknown) => console.error('open not counted in results', err));
    }
    noStore(c);
    return c.body(PIXEL, 200, { 'Content-Type': 'image/gif' });
  })
  .get('/u/:token', async (c) => {
    const target = await unsubscribeTarget(c);
    if (!target) return notFoundPage(c);
    noStore(c);
    const action = `/u/${encodeURIComponent(c.req.param('token'))}`;
    return c.html(<UnsubscribeConfirmPage locale={target.locale} storeName={target.store.name} action={action} />);
  })
  .post('/u/:token', async (c) => {
    const target = await unsubscribeTarget(c);
    if (!target) return notFoundPage(c);
    const now = Date.now();
    if (await unsubscribeEmail(target.d, target.store.id, target.contact.id, now)) await afterUnsubscribe(c.env, target.d, target.store.id, target.contact.id, now);
    await countUnsubscribe(target.d, target.store.id, target.contact.id, target.sendId, now);
    noStore(c);
    return c.html(<UnsubscribedPage locale={target.locale} storeName={target.store.name} />, 200);
  });
