import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findOrCreateContactByEmail, updateContactProfile } from '../../db/queries/contacts';
import { findFlow } from '../../db/queries/flows';
import { claimMessage, completeMessage } from '../../db/queries/messages';
import { changeReputationState } from '../../db/queries/reputation';
import { sendingState } from '../../deliverability/breaker';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm, seedDashboardStore } from '../../test/dashboard-session';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

describe('dashboard flows', () => {
  it('enables a flow and edits its settings through the same logic as PATCH /api/flows/:id (new version)', async () => {
    const storeId = 'dash-flows';
    await seedDashboardStore(storeId);
    const cookie = await login();
    const html = await page(cookie, `/admin/stores/${storeId}/flows`);
    expect(html).toContain('Relance de panier abandonné');
    // Durations read the admin's way: `30m` stored, "30 min" shown; "1 j 12 h" typed, `36h` stored.
    expect(html).toContain('<small id="f-abandoned-cart-incentivePercent-help">De 1 à 100</small>');
    expect([fieldValue(html, 'idleDelay'), fieldValue(html, 'couponValidity'), fieldValue(html, 'audienceDelay')]).toEqual(['30 min', '7 j', '1 j']);
    const form = {
      _csrf: csrfOf(html),
      version: '1',
      enabled: 'on',
      's.idleDelay': '45 min',
      's.audienceDelay': '1 j 12 h',
      's.incentivePercent': '15',
      's.followUpChannel': 'email',
      // incentiveEnabled left unticked: turned off
      's.promptEnabled': 'on',
      's.audienceEnabled': 'on',
    };
    const res = await postForm(cookie, `/admin/stores/${storeId}/flows/abandoned-cart`, form, { Origin: ORIGIN });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toContain('saved=abandoned-cart');

    const api = await (await fetchFlows(storeId)).json<{ flows: { id: string; version: number; enabled: boolean; settings: { key: string; value: unknown }[] }[] }>();
    const flow = api.flows.find((f) => f.id === 'abandoned-cart');
    expect(flow?.version).toBe(2);
    expect(flow?.enabled).toBe(true);
    const value = (key: string) => flow?.settings.find((s) => s.key === key)?.value;
    expect([value('idleDelay'), value('audienceDelay'), value('incentivePercent'), value('followUpChannel'), value('incentiveEnabled'), value('promptEnabled')]).toEqual(['45m', '36h', 15, 'email', false, true]);

    const after = await page(cookie, res.headers.get('Location') ?? '');
    expect(after).toContain('« Relance de panier abandonné » enregistré (version 2).');
    expect(fieldValue(after, 'audienceDelay')).toBe('1 j 12 h');

    // The form of version 1 is stale now: a conflict, not a blind overwrite.
    const stale = await postForm(cookie, `/admin/stores/${storeId}/flows/abandoned-cart`, { ...form, 's.idleDelay': '2h' });
    expect(stale.status).toBe(409);
    expect((await findFlow(db(env.DB), storeId, 'abandoned-cart'))?.version).toBe(2);
  });

  it('shows what the flow logic refuses, keeping the flow as it was', async () => {
    const storeId = 'dash-flows-bad';
    await seedDashboardStore(storeId);
    const cookie = await login();
    const csrf = csrfOf(await page(cookie, `/admin/stores/${storeId}/flows`));
    const res = await postForm(cookie, `/admin/stores/${storeId}/flows/abandoned-cart`, { _csrf: csrf, version: '1', 's.incentivePercent': '500', 's.idleDelay': 'soon' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('« Relance de panier abandonné » n’a pas été enregistré : corrigez les champs signalés.');
    // Each refusal sits next to its field, in French, and the field keeps what was typed.
    expect(html).toMatch(/id="f-abandoned-cart-incentivePercent" name="s.incentivePercent" aria-describedby="f-abandoned-cart-incentivePercent-err[^"]*" aria-invalid="true" value="500"/);
    expect(html).toContain('<span id="f-abandoned-cart-incentivePercent-err" class="field-error" role="alert">Doit être au plus 100.</span>');
    expect(html).toContain('<span id="f-abandoned-cart-idleDelay-err" class="field-error" role="alert">Durée illisible : écrivez par exemple 30 min, 2 h, 2 j ou 1 j 12 h.</span>');
    expect(html).not.toMatch(/must be|Expected|settings\./);
    expect((await findFlow(db(env.DB), storeId, 'abandoned-cart'))?.version).toBe(1);

    // The same refusal in English for an admin who chose English.
    const english = { Cookie: `${cookie}; ns_admin_lang=en` };
    expect(fieldValue(await page(cookie, `/admin/stores/${storeId}/flows`, english), 'audienceDelay')).toBe('1 d');
    const en = await postForm(cookie, `/admin/stores/${storeId}/flows/abandoned-cart`, { _csrf: csrf, version: '1', 's.idleDelay': '2 x', 's.incentiveThreshold': 'lots' }, english);
    const enHtml = await en.text();
    expect(en.status).toBe(400);
    expect(enHtml).toContain('“Abandoned cart cascade” was not saved: fix the fields shown.');
    expect(enHtml).toContain('Unknown unit: use s, min, h, d or wk (e.g. 2 d).');
    expect(enHtml).toContain('Enter a number, for example 10 or 1.5.');
  });
});

/** A field of the abandoned-cart form as shown. */
function fieldValue(html: string, key: string): string | undefined {
  return new RegExp(`id="f-abandoned-cart-${key}"[^>]*value="([^"]*)"`).exec(html)?.[1];
}

function fetchFlows(storeId: string) {
  return SELF.fetch(`${ORIGIN}/api/flows?store=${storeId}`, { headers: auth });
}

describe('dashboard store overview', () => {
  it('shows the paused banner and acknowledges the pause: sending resumes in slow start', async () => {
    const storeId = 'dash-ack';
    await seedDashboardStore(storeId);
    const d = db(env.DB);
    await changeReputationState(d, { storeId, from: 'open', to: 'paused', at: Date.now(), reason: 'complaint 0.50% >= 0.10%', incidentId: 'inc_ack', details: {} });
    const cookie = await login();
    // The pause alert email links to /reputation.
    const link = await adminFetch(`/admin/stores/${storeId}/reputation`, { headers: { Cookie: cookie } });
    expect([link.status, link.headers.get('Location')]).toEqual([303, `/admin/stores/${storeId}#reputation`]);
    const html = await page(cookie, `/admin/stores/${storeId}`);
    expect(html).toContain('Envois promotionnels suspendus : un seuil de réputation a été franchi.');
    // The breaker's reason is worded for the reader: rate name and percentages in French.
    expect(html).toMatch(/Plaintes : 0,5\s% \(seuil 0,1\s%\)/);
    expect(html).toContain('Contacts en hibernation');
    expect(html).toContain('Webhooks WooCommerce');

    const res = await postForm(cookie, `/admin/stores/${storeId}/reputation/ack`, { _csrf: csrfOf(html) }, { Origin: ORIGIN });
    expect(res.status).toBe(303);
    expect((await sendingState(d, storeId, Date.now())).promotional).toBe('slow_start');
    const after = await page(cookie, res.headers.get('Location') ?? '');
    expect(after).toContain('Pause acquittée');
    expect(after).toContain('Reprise progressive des envois promotionnels en cours.');

    const again = await postForm(cookie, `/admin/stores/${storeId}/reputation/ack`, { _csrf: csrfOf(html) });
    expect(again.headers.get('Location')).toContain('notice=nothing_to_ack');
  });

  it('answers an unknown store with a 404 page', async () => {
    const cookie = await login();
    const res = await adminFetch('/admin/stores/nope-404', { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Introuvable.');
  });
});

describe('dashboard contacts and outbox', () => {
  it('escapes contact data: a name like <script> is shown as text', async () => {
    const storeId = 'dash-escape';
    await seedDashboardStore(storeId);
    const d = db(env.DB);
    const { contact } = await findOrCreateContactByEmail(d, storeId, 'evil@example.com', 1);
    await updateContactProfile(d, storeId, contact.id, { firstName: '<script>alert(1)</script>', lastName: '"><img src=x onerror=alert(2)>' }, 2);
    const cookie = await login();
    const html = await page(cookie, `/admin/stores/${storeId}/contacts?email=evil%40example.com`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(await page(cookie, `/admin/stores/${storeId}/contacts?email=nobody%40example.com`)).toContain('Aucun contact avec l’adresse nobody@example.com.');
  });

  it('lists the latest messages and previews the rendered email in a sandboxed iframe, never inline', async () => {
    const storeId = 'dash-outbox';
    await seedDashboardStore(storeId);
    const d = db(env.DB);
    const { contact } = await findOrCreateContactByEmail(d, storeId, 'reader@example.com', 1);
    const html = '<p class="x">Bonjour &amp; bienvenue</p><script>parent.alert(1)</script>';
    const { message } = await claimMessage(d, {
      id: 'msg_dash_1', storeId, contactId: contact.id, flowId: 'welcome', stepId: 'email_1', enrollmentId: null,
      idempotencyKey: 'dash:1', channel: 'email', subject: 'Bienvenue <chez nous>', html, text: 'Bonjour et bienvenue', to: 'reader@example.com', createdAt: Date.now(),
    });
    await completeMessage(d, storeId, message.id, { status: 'outbox' });
    const cookie = await login();
    const list = await page(cookie, `/admin/stores/${storeId}/messages`);
    expect(list).toContain('Bienvenue &lt;chez nous&gt;');
    expect(list).toContain('Série de bienvenue avec préférences');
    expect(list).toContain('email_1');
    expect(list).toContain('Boîte d’envoi');
    expect(list).toContain('<td data-label="Canal">E-mail</td>');

    const res = await adminFetch(`/admin/stores/${storeId}/messages/msg_dash_1`, { headers: { Cookie: cookie } });
    // The preview inherits the page's CSP: no remote image (open pixel), no navigation (click tracking).
    expect(res.headers.get('Content-Security-Policy')).toMatch(/img-src data:;.*frame-src 'none';.*frame-ancestors 'none'/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const detail = await res.text();
    const iframe = /<iframe[^>]*>/.exec(detail)?.[0] ?? '';
    expect(iframe).toContain('sandbox=""');
    expect(iframe).not.toMatch(/allow-scripts/);
    expect(iframe).toContain('srcdoc="&lt;p class=&quot;x&quot;&gt;Bonjour &amp;amp; bienvenue&lt;/p&gt;&lt;script&gt;');
    expect(detail).not.toContain('<script>');
    expect(detail).toContain('Bonjour et bienvenue');
  });
});
