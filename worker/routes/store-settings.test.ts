import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findStoreSettings, linkSigningKey } from '../db/queries/store-settings';
import { upsertStore } from '../db/queries/stores';
import { sha256Hex } from '../lib/hmac';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

async function seed(id: string) {
  await upsertStore(db(env.DB), {
    id,
    name: id,
    webhookSecret: 'x'.repeat(32),
    siteKey: `pk_${id}`,
    createdAt: 1,
    updatedAt: 1,
  });
}

function patch(store: string, body: unknown, headers: Record<string, string> = auth) {
  return SELF.fetch(`https://ns.test/api/stores/${store}/settings`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('store settings', () => {
  it('stores provider settings, hashes the webhook password and never shows secrets', async () => {
    await seed('settings-a');
    const res = await patch('settings-a', {
      fromEmail: 'shop@example.com',
      postmarkServerToken: 'pm-token',
      postmarkWebhookUser: 'pm',
      postmarkWebhookPassword: 'hunter2-hunter2',
    });
    expect(res.status).toBe(200);
    const shown = await res.json<Record<string, unknown>>();
    expect(shown).toMatchObject({ fromEmail: 'shop@example.com', postmarkServerToken: true, smsAuthToken: false });
    expect(JSON.stringify(shown)).not.toContain('pm-token');

    const row = await findStoreSettings(db(env.DB), 'settings-a');
    expect(row?.postmarkWebhookPasswordHash).toBe(await sha256Hex('hunter2-hunter2'));

    const got = await SELF.fetch('https://ns.test/api/stores/settings-a/settings', { headers: auth });
    expect(await got.json()).toMatchObject({ postmarkWebhookUser: 'pm', postmarkWebhookPasswordHash: true });
  });

  it('rejects unknown fields, bad values, missing auth and unknown stores without writing', async () => {
    await seed('settings-b');
    expect((await patch('settings-b', { fromEmail: 'not-an-email' })).status).toBe(400);
    expect((await patch('settings-b', { surprise: 1 })).status).toBe(400);
    expect((await patch('settings-b', { fromName: 'x' }, {})).status).toBe(401);
    expect((await patch('nope', { fromName: 'x' })).status).toBe(404);
    expect(await findStoreSettings(db(env.DB), 'settings-b')).toBeUndefined();
  });

  it('creates one link-signing key per store and keeps it', async () => {
    await seed('settings-c');
    const d = db(env.DB);
    const [a, b] = await Promise.all([linkSigningKey(d, 'settings-c', 1), linkSigningKey(d, 'settings-c', 2)]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(await linkSigningKey(d, 'settings-c', 3)).toBe(a);
  });
});
