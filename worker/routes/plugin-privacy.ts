import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { eraseContact, exportContact } from '../contacts/privacy/erasure';
import { db } from '../db/client';
import { findContactByEmail } from '../db/queries/contacts';
import { findStore } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { AppError, unauthorized, validationError } from '../errors';
import { SIGNATURE_HEADER, verifyNightshiftSignature } from '../lib/hmac';
import { readBodyCapped } from '../lib/read-body';

const MAX_BODY_BYTES = 4096;

/** What WordPress's Tools → Export/Erase Personal Data asks about: one email address. */
export const PrivacyRequestBody = z.object({ email: z.string().trim().pipe(z.email().max(254)) });
export type PrivacyRequestBody = z.infer<typeof PrivacyRequestBody>;

/**
 * The plugin's side of WordPress's personal-data tools, signed like its /collect batches (X-Nightshift-Signature
 * with the store's webhook secret over the raw body). An unknown store answers as a bad signature does, so the
 * route does not reveal which stores exist.
 */
async function signedRequest(c: Context<AppEnv>) {
  const bytes = await readBodyCapped(c.req.raw, MAX_BODY_BYTES);
  if (bytes === null) throw new AppError(413, 'payload_too_large', `Bodies are limited to ${MAX_BODY_BYTES} bytes`);
  const raw = new TextDecoder().decode(bytes);
  const d = db(c.env.DB);
  const store = await findStore(d, c.req.param('store') ?? '');
  const check = store
    ? await verifyNightshiftSignature(store.webhookSecret, raw, c.req.header(SIGNATURE_HEADER), Math.floor(Date.now() / 1000))
    : 'mismatch';
  if (!store || check !== 'ok') throw unauthorized(`Signature ${check}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError(400, 'invalid_json', 'Body must be JSON');
  }
  const body = PrivacyRequestBody.safeParse(json);
  if (!body.success) throw validationError(body.error);
  return { d, store, contact: await findContactByEmail(d, store.id, body.data.email) };
}

export const pluginPrivacy = new Hono<AppEnv>()
  .post('/stores/:store/privacy/export', async (c) => {
    const { d, store, contact } = await signedRequest(c);
    c.header('Cache-Control', 'no-store');
    return c.json({ found: contact !== undefined, export: contact ? await exportContact(d, store, contact, Date.now()) : null });
  })
  .post('/stores/:store/privacy/erase', async (c) => {
    const { d, store, contact } = await signedRequest(c);
    if (!contact) return c.json({ erased: false, removed: {} });
    const report = await eraseContact(c.env, d, store, contact, 'wordpress-privacy-tools', Date.now());
    return c.json({ erased: true, ...report });
  });
