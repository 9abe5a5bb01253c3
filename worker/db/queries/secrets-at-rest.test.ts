import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { keyringOf, SecretsKeyError } from '../../lib/secret-box';
import { resealSecrets } from '../reseal-job';
import { db } from '../client';
import { resealStoreSecrets } from './secret-columns';
import { findStoreSettings, linkSigningKey, updateStoreSettings } from './store-settings';
import { findStore } from './stores';
import { deliver, SECRET, seedStore } from '../../test/woo-fixtures';

const AUTH = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const CLEAR = {
  postmarkServerToken: 'pm-server-token-clear-123',
  postmarkWebhookUser: 'pm-hook-user-clear',
  smsAuthToken: 'twilio-auth-token-clear-456',
  wooConsumerKey: 'ck_clear_consumer_key_789',
  wooConsumerSecret: 'cs_clear_consumer_secret_012',
};

/** Every text value of the store's rows in the two tables that hold secrets, as D1 stores them. */
async function rawText(storeId: string): Promise<string> {
  const s = await env.DB.prepare('SELECT * FROM stores WHERE id = ?').bind(storeId).first();
  const t = await env.DB.prepare('SELECT * FROM store_settings WHERE store_id = ?').bind(storeId).first();
  return JSON.stringify([s, t]);
}

describe('store secrets encrypted at rest', () => {
  it('keeps no clear secret in D1, while every caller still reads clear values', async () => {
    const store = 'sealed-1';
    await seedStore(store);
    const res = await SELF.fetch(`http://x/api/stores/${store}/settings`, { method: 'PATCH', headers: AUTH, body: JSON.stringify({ ...CLEAR, postmarkWebhookPassword: 'pm-hook-password' }) });
    expect(res.status).toBe(200);
    const signing = await linkSigningKey(db(env.DB), store, Date.now());
    const raw = await rawText(store);
    for (const secret of [SECRET, signing, ...Object.values(CLEAR)]) expect(raw).not.toContain(secret);
    expect(raw.match(/enc:v1:/g)?.length).toBe(8);

    const d = db(env.DB);
    expect((await findStore(d, store))?.webhookSecret).toBe(SECRET);
    expect(await findStoreSettings(d, store)).toMatchObject(CLEAR);
    expect(await linkSigningKey(d, store, Date.now())).toBe(signing);
    // The webhook route verifies WooCommerce's signature with the sealed secret, unchanged.
    expect(await deliver(store, 'order.created')).toBe('processed');
  });

  it('reads rows written in clear before encryption, and the job seals them', async () => {
    const store = 'sealed-legacy';
    await env.DB.prepare(`INSERT INTO stores (id, name, webhook_secret, site_key, allowed_origins, created_at, updated_at) VALUES (?, ?, ?, ?, '[]', 1, 1)`)
      .bind(store, store, SECRET, `pk_${store}`)
      .run();
    await env.DB.prepare('INSERT INTO store_settings (store_id, sms_auth_token, updated_at) VALUES (?, ?, 1)').bind(store, 'legacy-sms-token').run();
    expect(await deliver(store, 'customer.created')).toBe('processed');
    expect((await findStoreSettings(db(env.DB), store))?.smsAuthToken).toBe('legacy-sms-token');

    await resealSecrets(env);
    const raw = await rawText(store);
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain('legacy-sms-token');
    expect((await findStore(db(env.DB), store))?.webhookSecret).toBe(SECRET);
    expect((await findStoreSettings(db(env.DB), store))?.smsAuthToken).toBe('legacy-sms-token');
  });

  it('rotates: values move to the new key, the old one stops being needed, a wrong key fails closed', async () => {
    const store = 'sealed-rotate';
    await seedStore(store);
    await updateStoreSettings(db(env.DB), store, { postmarkServerToken: 'pm-rotate' }, 1);
    const newKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const rotated = await keyringOf(newKey, (env as unknown as { SECRETS_KEY: string }).SECRETS_KEY);
    expect(await resealStoreSecrets(db(env.DB), store, rotated)).toBe(2);
    expect(await resealStoreSecrets(db(env.DB), store, rotated)).toBe(0);
    const raw = await rawText(store);
    expect(raw).toContain(`enc:v1:${rotated.current?.id}:`);
    expect(raw).not.toContain(`enc:v1:${rotated.previous?.id}:`);
    // This worker still runs with the old key only: reading the resealed row fails closed, with a clear error.
    await expect(findStore(db(env.DB), store)).rejects.toThrow(SecretsKeyError);
    await expect(findStoreSettings(db(env.DB), store)).rejects.toThrow(/which is neither SECRETS_KEY/);
  });
});
