import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { unauthorized } from '../errors';
import { NO_STORE_SECRET } from '../lib/no-store';
import { db } from '../db/client';
import { findStoreSettings } from '../db/queries/store-settings';
import { findStore } from '../db/queries/stores';
import { readInboundSms } from '../messaging/sms/sms-inbound';
import { applySmsReply } from '../messaging/sms/sms-replies';
import { TWILIO_SIGNATURE_HEADER } from '../messaging/sms/sms-signature';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * `POST /webhooks/sms/:store`: Twilio-compatible inbound messages. The signature covers the URL the
 * provider was given (PUBLIC_BASE_URL + path), checked with the store's SMS auth token. STOP and
 * START change consent; the answer is always empty TwiML (the provider sends its own confirmations).
 */
export const smsWebhooks = new Hono<AppEnv>().post('/webhooks/sms/:store', async (c) => {
  const d = db(c.env.DB);
  const storeId = c.req.param('store');
  const [store, settings] = await Promise.all([findStore(d, storeId), findStoreSettings(d, storeId)]);
  const url = new URL(c.req.url);
  const publicUrl = `${c.env.PUBLIC_BASE_URL.replace(/\/+$/, '')}${url.pathname}${url.search}`;
  const raw = await c.req.text();
  // An unknown store, or one without SMS, is checked against a stand-in token and answers like a bad signature.
  const token = store ? settings?.smsAuthToken : undefined;
  const check = await readInboundSms(token ?? NO_STORE_SECRET, publicUrl, raw, c.req.header(TWILIO_SIGNATURE_HEADER));
  if (!store || !token || !check.ok) throw unauthorized('Invalid SMS webhook signature');
  await applySmsReply(c.env, d, { storeId: store.id, message: check.message, keyword: check.keyword, now: Date.now() });
  return c.body(EMPTY_TWIML, 200, { 'Content-Type': 'text/xml; charset=utf-8' });
});
