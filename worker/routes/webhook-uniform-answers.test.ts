import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedExecutorContext } from '../contacts/executors/test/seed';
import { updateStoreSettings } from '../db/queries/store-settings';
import { upsertStore } from '../db/queries/stores';
import { db } from '../db/client';
import { signNightshift } from '../lib/hmac';
import { twilioSignature } from '../messaging/sms/sms-signature';
import { basicAuth, postmark, postWebhook, seedPostmarkStore } from '../test/postmark-fixtures';
import { fixture, fixtureBytes, fixtureHeaders, pingFixture, post as postWoo, seedStore, wireText } from '../test/woo-fixtures';

/** Status, body and the headers a caller could read: two answers a stranger must not tell apart. */
async function answer(res: Response) {
  return { status: res.status, body: await res.text(), authenticate: res.headers.get('WWW-Authenticate'), type: res.headers.get('Content-Type') };
}

describe('webhook routes answer an unknown store exactly like a bad signature', () => {
  it('POST /webhooks/woocommerce/:store', async () => {
    await seedStore('uni-woo');
    const f = fixture('order.created');
    const wrong = fixtureHeaders(f);
    wrong.set('X-WC-Webhook-Signature', fixture('order.created.guest').signature);
    const bad = await answer(await postWoo('uni-woo', fixtureBytes(f), wrong));
    const unknown = await answer(await postWoo('uni-woo-nowhere', fixtureBytes(f), fixtureHeaders(f)));
    expect(bad.status).toBe(401);
    expect(unknown).toEqual(bad);
    // The unsigned ping is acknowledged alike for every store id.
    const ping = () => new Headers(JSON.parse(wireText(pingFixture.headers)).filter(([n]: [string]) => !['host', 'connection', 'content-length'].includes(n.toLowerCase())));
    const pingBody = wireText(pingFixture.raw_body);
    expect(await answer(await postWoo('uni-woo-nowhere', pingBody, ping()))).toEqual(await answer(await postWoo('uni-woo', pingBody, ping())));
  });

  it('POST /webhooks/postmark/:store', async () => {
    await seedPostmarkStore('uni-pm');
    const wrong = { Authorization: basicAuth('postmark', 'wrong') };
    const bad = await answer(await postWebhook('uni-pm', postmark.delivery, wrong));
    const unknown = await answer(await postWebhook('uni-pm-nowhere', postmark.delivery, { Authorization: basicAuth() }));
    expect(bad.status).toBe(401);
    expect(unknown).toEqual(bad);
  });

  it('POST /webhooks/sms/:store (unknown, not set up, bad signature)', async () => {
    const now = Date.now();
    const ctx = await seedExecutorContext('uni-sms', now);
    await updateStoreSettings(ctx.d, 'uni-sms', { smsAuthToken: 'twilio-token-uniform', smsAccountSid: 'AC1' }, now);
    await seedExecutorContext('uni-sms-unset', now);
    const inbound = async (storeId: string, token: string) => {
      const form = new URLSearchParams({ MessageSid: 'SM1', AccountSid: 'AC1', From: '+33612345678', To: '+33700000000', Body: 'STOP' });
      const url = `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/webhooks/sms/${storeId}`;
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': await twilioSignature(token, url, form.entries()) };
      return answer(await SELF.fetch(`https://ns.test/webhooks/sms/${storeId}`, { method: 'POST', headers, body: form.toString() }));
    };
    const bad = await inbound('uni-sms', 'not-the-token');
    expect(bad.status).toBe(401);
    expect(await inbound('uni-sms-nowhere', 'twilio-token-uniform')).toEqual(bad);
    expect(await inbound('uni-sms-unset', 'twilio-token-uniform')).toEqual(bad);
  });

  it('signed POST /collect', async () => {
    await upsertStore(db(env.DB), { id: 'uni-collect', name: 'x', webhookSecret: 'whsec_uniform', siteKey: 'pk_uni', createdAt: 1, updatedAt: 1 });
    const signed = async (store: string, secret: string) => {
      const body = JSON.stringify({ store, visitorId: 'v_uniform_0001', events: [{ id: 'pv_1', type: 'page_view', ts: 1_700_000_000_000, url: 'https://shop.example/' }] });
      const signature = await signNightshift(secret, body, Math.floor(Date.now() / 1000));
      return answer(await SELF.fetch('https://ns.test/collect', { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': signature } }));
    };
    const bad = await signed('uni-collect', 'not-the-secret');
    expect(bad.status).toBe(401);
    expect(await signed('uni-collect-nowhere', 'whsec_uniform')).toEqual(bad);
  });
});
