import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import vectors from '../../plugin-bridge/tests/fixtures/signing-vectors.json';
import { signNightshift } from '../lib/hmac';
import { fixture, fixtureBytes, fixtureHeaders, SECRET } from '../test/woo-fixtures';

// The plugin bridge's whole path through the worker: create, connect with the secret the plugin
// generated, then WooCommerce deliveries and signed bridge events verify with that secret.
const BASE = 'https://ns.test';
const json = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

async function createAndConnect(id: string): Promise<{ webhookUrl: string; collectUrl: string; connectToken: string }> {
  const created = await SELF.fetch(`${BASE}/api/stores`, { method: 'POST', headers: json(env.ADMIN_TOKEN), body: JSON.stringify({ id, name: id }) });
  const { connectToken } = (await created.json()) as { connectToken: string };
  const connected = await SELF.fetch(`${BASE}/api/stores/${id}/connect`, {
    method: 'POST',
    headers: json(connectToken),
    body: JSON.stringify({ webhookSecret: SECRET, siteUrl: 'https://shop.example.com/', pluginVersion: '0.1.0' }),
  });
  expect(connected.status).toBe(200);
  return { ...((await connected.json()) as { webhookUrl: string; collectUrl: string }), connectToken };
}

describe('plugin bridge → worker', () => {
  it('WooCommerce deliveries verify with the secret handed over on connect, and not before', async () => {
    const delivery = fixture('order.created');
    const created = await SELF.fetch(`${BASE}/api/stores`, {
      method: 'POST',
      headers: json(env.ADMIN_TOKEN),
      body: JSON.stringify({ id: 'bridge-before', name: 'Before' }),
    });
    expect(created.status).toBe(201);
    const early = await SELF.fetch(`${BASE}/webhooks/woocommerce/bridge-before`, {
      method: 'POST',
      body: fixtureBytes(delivery),
      headers: fixtureHeaders(delivery),
    });
    expect(early.status).toBe(401);

    const { webhookUrl } = await createAndConnect('bridge-woo');
    expect(webhookUrl).toBe(`${BASE}/webhooks/woocommerce/bridge-woo`);
    const res = await SELF.fetch(webhookUrl, { method: 'POST', body: fixtureBytes(delivery), headers: fixtureHeaders(delivery) });
    expect(res.status).toBe(200);
  });

  it('accepts the plugin’s signed event batch at the collect URL, and refuses it altered', async () => {
    const { collectUrl } = await createAndConnect('bridge-events');
    const body = JSON.stringify({ ...vectors.signature.batch, store: 'bridge-events' });
    const header = await signNightshift(SECRET, body, Math.floor(Date.now() / 1000));
    const send = (payload: string) =>
      SELF.fetch(collectUrl, { method: 'POST', body: payload, headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': header } });

    expect((await send(body)).status).toBe(204);
    expect((await send(body.replace('"quantity":2', '"quantity":3'))).status).toBe(401);
  });
});
