import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { insertEvents } from '../../db/queries/events';
import { recordWebhookRejection } from '../../db/queries/onboarding';
import { findStore, upsertStore } from '../../db/queries/stores';
import { login, page, seedDashboardStore } from '../../test/dashboard-session';

const AUTH = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);

/** An item's state and the text shown in it, tags stripped. */
function item(html: string, key: string): { state: string; text: string } {
  const match = new RegExp(`<li id="onboarding-${key}" data-state="(\\w+)">([\\s\\S]*?)</li>`).exec(html);
  return { state: match?.[1] ?? 'missing', text: (match?.[2] ?? '').replace(/<[^>]+>/g, '').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ').trim() };
}

async function api(path: string, method: string, body: unknown) {
  const res = await SELF.fetch(`https://ns.test/api${path}`, { method, headers: AUTH, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

describe('overview onboarding checklist', () => {
  it('shows a fresh store what is left to do, with the promotional hold, in French and English', async () => {
    await seedDashboardStore('onb-fresh');
    const cookie = await login();
    const fr = await page(cookie, '/admin/stores/onb-fresh?lang=fr');
    expect(fr).toContain('Pour bien démarrer');
    expect(fr).toContain('0 sur 4 fait');
    for (const key of ['connect', 'sender', 'flows', 'tracker']) expect(item(fr, key).state).toBe('todo');
    expect(item(fr, 'sender').text).toContain('Manque : adresse d’expédition, adresse postale.');
    expect(item(fr, 'flows').text).toContain('0 scénario activé sur 7.');
    expect(fr).toMatch(/<div class="banner critical" role="alert" id="promotional-held">Les e-mails promotionnels sont bloqués/);
    expect(fr).toContain('href="/admin/stores/onb-fresh/settings"');
    expect(fr).toContain('Aucune livraison WooCommerce refusée ces 7 derniers jours.');

    const en = await page(cookie, '/admin/stores/onb-fresh?lang=en');
    expect(en).toContain('Getting started');
    expect(en).toContain('0 of 4 done');
    expect(item(en, 'connect').text).toContain('In WordPress, open WooCommerce → Nightshift and paste the connect code.');
    expect(item(en, 'tracker').text).toContain('No browser event in the last 7 days');
    expect(en).toContain('Promotional emails are blocked: set the store’s sender address and postal address.');
  });

  it('marks each item done from what happened, lifts the banner, and says what to do about refused webhooks', async () => {
    await seedDashboardStore('onb-done');
    const now = Date.now();
    const store = (await findStore(d(), 'onb-done'))!;
    await upsertStore(d(), { ...store, connectedAt: now - 3_600_000 });
    await api('/stores/onb-done/settings', 'PATCH', { fromEmail: 'bonjour@onb.example' });
    await api('/flows/welcome?store=onb-done', 'PATCH', { enabled: true });
    // A server-side event does not prove the tracker runs; one from a browser does.
    await insertEvents(d(), [{ storeId: 'onb-done', eventKey: 'srv-1', type: 'order_paid', visitorId: null, contactId: null, properties: {}, source: 'server', occurredAt: now, receivedAt: now }]);
    const cookie = await login();
    let html = await page(cookie, '/admin/stores/onb-done?lang=fr');
    expect(item(html, 'connect').state).toBe('done');
    expect(item(html, 'sender')).toMatchObject({ state: 'todo', text: expect.stringContaining('Manque : adresse postale.') });
    expect(item(html, 'flows')).toEqual({ state: 'done', text: expect.stringContaining('1 scénario activé sur 7.') });
    expect(item(html, 'tracker').state).toBe('todo');
    expect(html).toContain('id="promotional-held"');

    await api('/stores/onb-done/settings', 'PATCH', { postalAddress: '3 place du Marché, 31000 Toulouse' });
    await insertEvents(d(), [{ storeId: 'onb-done', eventKey: 'brw-1', type: 'page_view', visitorId: 'v1', contactId: null, properties: {}, source: 'browser', occurredAt: now, receivedAt: now }]);
    await recordWebhookRejection(d(), 'onb-done', now);
    await recordWebhookRejection(d(), 'onb-done', now);
    html = await page(cookie, '/admin/stores/onb-done?lang=en');
    for (const key of ['connect', 'sender', 'flows', 'tracker']) expect(item(html, key).state).toBe('done');
    expect(html).toContain('4 of 4 done');
    expect(html).not.toContain('id="promotional-held"');
    expect(html).toContain('2 WooCommerce deliveries refused in the last 7 days (invalid signature)');
    expect(html).toContain('href="/admin/stores/onb-done/connection">Rotate the secret or reconnect</a>');
    const fr = await page(cookie, '/admin/stores/onb-done?lang=fr');
    expect(fr).toContain('2 livraisons WooCommerce refusées ces 7 derniers jours (signature invalide)');
  });

  it('shows on the flows page how many flows are on', async () => {
    await seedDashboardStore('onb-flows');
    await api('/flows/welcome?store=onb-flows', 'PATCH', { enabled: true });
    await api('/flows/abandoned-cart?store=onb-flows', 'PATCH', { enabled: true });
    const cookie = await login();
    expect(await page(cookie, '/admin/stores/onb-flows/flows?lang=fr')).toContain('<span class="pill on">2 activés sur 7</span>');
    expect(await page(cookie, '/admin/stores/onb-flows/flows?lang=en')).toContain('<span class="pill on">2 of 7 on</span>');
  });
});
