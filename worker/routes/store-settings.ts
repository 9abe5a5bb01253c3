import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { db, type Db } from '../db/client';
import { findStore } from '../db/queries/stores';
import type { StoreSettings } from '../db/queries/store-settings';
import { findStoreSettings, updateStoreSettings } from '../db/queries/store-settings';
import { adminAuth } from '../lib/bearer-auth';
import { sha256Hex } from '../lib/hmac';
import { parseJsonBody } from '../lib/validate';

const Text = (max: number) => z.string().trim().min(1).max(max).nullable().optional();
/** `#rrggbb`, kept lowercase: it goes into every email's CSS, so nothing but a colour gets through. */
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour such as #1d4ed8').transform((v) => v.toLowerCase()).nullable().optional();

export const StoreSettingsBody = z
  .object({
    fromEmail: z.email().max(320).nullable().optional(),
    fromName: Text(120),
    replyTo: z.email().max(320).nullable().optional(),
    postalAddress: Text(500),
    postmarkServerToken: Text(200),
    postmarkMessageStream: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
    postmarkWebhookUser: Text(100),
    postmarkWebhookPassword: Text(200),
    smsAccountSid: Text(64),
    smsAuthToken: Text(200),
    smsFrom: Text(32),
    smsMessagingServiceSid: Text(64),
    wooConsumerKey: Text(200),
    wooConsumerSecret: Text(200),
    /** The store's name as emails show it (null: the store's own name). */
    displayName: Text(120),
    brandLogoUrl: z.url({ protocol: /^https$/, error: 'Expected an https:// address' }).max(500).nullable().optional(),
    brandPrimaryColor: Colour,
    brandAccentColor: Colour,
  })
  .strict();
export type StoreSettingsBody = z.infer<typeof StoreSettingsBody>;

const SECRET_FIELDS = [
  'postmarkServerToken',
  'postmarkWebhookPasswordHash',
  'smsAuthToken',
  'wooConsumerSecret',
  'linkSigningKey',
] as const;

/** Secrets are write-only: an admin sees whether one is set, never its value. */
function visibleSettings(storeId: string, row: StoreSettings | undefined) {
  const shown: Record<string, unknown> = { storeId, postmarkMessageStream: 'broadcast', ...row };
  for (const field of SECRET_FIELDS) {
    shown[field] = Boolean(row?.[field]);
  }
  return shown;
}

/** The one write of store settings, for the API and the dashboard: the webhook password is kept only as its hash. */
export async function saveStoreSettings(d: Db, storeId: string, body: StoreSettingsBody, now: number): Promise<StoreSettings> {
  const { postmarkWebhookPassword, ...patch } = body;
  const passwordHash =
    postmarkWebhookPassword === undefined
      ? {}
      : { postmarkWebhookPasswordHash: postmarkWebhookPassword === null ? null : await sha256Hex(postmarkWebhookPassword) };
  return updateStoreSettings(d, storeId, { ...patch, ...passwordHash }, now);
}

export const storeSettingsRoutes = new Hono<AppEnv>()
  .get('/stores/:store/settings', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const storeId = c.req.param('store');
    if (!(await findStore(d, storeId))) throw notFound(`Store ${storeId}`);
    return c.json(visibleSettings(storeId, await findStoreSettings(d, storeId)));
  })
  .patch('/stores/:store/settings', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const storeId = c.req.param('store');
    if (!(await findStore(d, storeId))) throw notFound(`Store ${storeId}`);
    const row = await saveStoreSettings(d, storeId, await parseJsonBody(c, StoreSettingsBody), Date.now());
    return c.json(visibleSettings(storeId, row));
  });
