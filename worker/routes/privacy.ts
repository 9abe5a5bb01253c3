import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { db } from '../db/client';
import { proofOf, recordConsent } from '../contacts/privacy/consent';
import { eraseContact, exportContact } from '../contacts/privacy/erasure';
import { listConsents } from '../db/queries/consents';
import { findContact } from '../db/queries/contacts';
import { findPrivacySettings, updatePrivacySettings } from '../db/queries/preferences';
import { listErasures } from '../db/queries/privacy';
import { findStore } from '../db/queries/stores';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody, parseQuery } from '../lib/validate';
import { refreshAfterChange } from '../segments/dynamic/runs';

const StoreId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
export const StoreQuery = z.object({ store: StoreId });
export type StoreQuery = z.infer<typeof StoreQuery>;

/** A consent recorded by an admin or a script (imports): the same ledger row a person's click writes. */
export const ConsentBody = z
  .object({
    channel: z.enum(['email', 'sms']),
    purpose: z.enum(['marketing', 'tracking']).default('marketing'),
    granted: z.boolean(),
    source: z.enum(['import', 'api', 'checkout', 'popup', 'storefront']).default('api'),
    textVersion: z.string().trim().min(1).max(200).nullable().default(null),
    /** When the person gave it (ms); imports carry the original date. Never in the future. */
    occurredAt: z.number().int().positive().optional(),
    proof: z.object({ ip: z.string().max(64).optional(), userAgent: z.string().max(512).optional() }).default({}),
  })
  .strict();
export type ConsentBody = z.infer<typeof ConsentBody>;

export const PrivacyBody = z
  .object({
    doubleOptIn: z.boolean().optional(),
    confirmationDays: z.number().int().min(1).max(60).optional(),
    eventRetentionMonths: z.number().int().min(1).max(120).optional(),
    /** Off: no open pixel in any email of the store. */
    openTracking: z.boolean().optional(),
  })
  .strict();
export type PrivacyBody = z.infer<typeof PrivacyBody>;

async function target(c: Context<AppEnv>) {
  const q = parseQuery(c, StoreQuery);
  const d = db(c.env.DB);
  const store = await findStore(d, q.store);
  if (!store) throw notFound(`Store ${q.store}`);
  const contact = await findContact(d, store.id, c.req.param('id') ?? '');
  if (!contact) throw notFound(`Contact ${c.req.param('id')}`);
  return { d, store, contact };
}

/** Data subject rights and consent administration (admin token). */
export const privacy = new Hono<AppEnv>()
  .get('/contacts/:id/export', adminAuth(), async (c) => {
    const { d, store, contact } = await target(c);
    c.header('Content-Disposition', `attachment; filename="contact-${contact.id}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(await exportContact(d, store, contact, Date.now()));
  })
  .delete('/contacts/:id', adminAuth(), async (c) => {
    const { d, store, contact } = await target(c);
    const report = await eraseContact(c.env, d, store, contact, 'admin-api', Date.now());
    return c.json({ erased: contact.id, ...report });
  })
  .post('/contacts/:id/consents', adminAuth(), async (c) => {
    const { d, store, contact } = await target(c);
    const body = await parseJsonBody(c, ConsentBody);
    const now = Date.now();
    await recordConsent(d, {
      storeId: store.id,
      contactId: contact.id,
      channel: body.channel,
      purpose: body.purpose,
      granted: body.granted,
      source: body.source,
      textVersion: body.textVersion,
      occurredAt: Math.min(body.occurredAt ?? now, now),
      proof: await proofOf(store.webhookSecret, { ip: body.proof.ip, userAgent: body.proof.userAgent }),
    });
    await refreshAfterChange(c.env, d, store.id, contact.id, now);
    return c.json({ consents: await listConsents(d, store.id, contact.id) }, 201);
  })
  .get('/stores/:store/privacy', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await findStore(d, c.req.param('store'));
    if (!store) throw notFound(`Store ${c.req.param('store')}`);
    return c.json({ settings: await findPrivacySettings(d, store.id), erasures: await listErasures(d, store.id) });
  })
  .patch('/stores/:store/privacy', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const store = await findStore(d, c.req.param('store'));
    if (!store) throw notFound(`Store ${c.req.param('store')}`);
    const body = await parseJsonBody(c, PrivacyBody);
    const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    return c.json({ settings: await updatePrivacySettings(d, store.id, patch, Date.now()) });
  });
