import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeConnectCode } from '../../connect/connect-code';
import { db } from '../../db/client';
import { findStore } from '../../db/queries/stores';
import { SIGNATURE_HEADER, verifyNightshiftSignature } from '../../lib/hmac';
import { adminFetch, csrfOf, login, page, postForm } from '../../test/dashboard-session';

const d = () => db(env.DB);
const codeIn = (html: string) => /<pre id="connect-code">(nsc1\.[A-Za-z0-9_-]+)<\/pre>/.exec(html)?.[1] ?? '';
const connectBody = JSON.stringify({ webhookSecret: 'p1ug!n-G3nerated_secret#with&punctuation(50 chars)', siteUrl: 'https://dash.shop.example/', pluginVersion: '0.2.0' });

function connectWith(code: string) {
  const c = decodeConnectCode(code)!;
  return SELF.fetch(`${c.workerUrl}/api/stores/${c.storeId}/connect`, {
    method: 'POST', body: connectBody, headers: { Authorization: `Bearer ${c.connectToken}`, 'Content-Type': 'application/json' },
  });
}

afterEach(() => vi.restoreAllMocks());

describe('dashboard: add a store, connect code, connection page', () => {
  it('adds a store from a CSRF-protected form (FR and EN) and shows a connect code the plugin connects with', async () => {
    const cookie = await login();
    const fr = await page(cookie, '/admin/stores/new');
    expect(fr).toContain('Nouvelle boutique');
    expect(fr).toContain('Adresse du site WordPress');
    const en = await page(cookie, '/admin/stores/new?lang=en');
    expect(en).toContain('WordPress site address');
    expect(await page(cookie, '/admin/stores', { 'Accept-Language': 'fr' })).toContain('href="/admin/stores/new"');

    const fields = { id: 'dash-new', name: 'Ma Boutique', siteUrl: 'https://dash.shop.example', locale: 'fr', timezone: 'Europe/Paris' };
    expect((await postForm(cookie, '/admin/stores/new', fields)).status).toBe(403);
    const created = await postForm(cookie, '/admin/stores/new', { ...fields, _csrf: csrfOf(en) }, { 'Accept-Language': 'fr' });
    expect(created.status).toBe(201);
    const html = await created.text();
    expect(html).toContain('Code de connexion');
    const code = codeIn(html);
    expect(decodeConnectCode(code)).toMatchObject({ workerUrl: 'https://ns.test', storeId: 'dash-new' });
    expect(await findStore(d(), 'dash-new')).toMatchObject({ name: 'Ma Boutique', siteUrl: 'https://dash.shop.example', locale: 'fr', connectedAt: null });
    expect((await connectWith(code)).status).toBe(200);

    const again = await postForm(cookie, '/admin/stores/new', { ...fields, _csrf: csrfOf(en) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('<span id="f-id-err" class="field-error" role="alert">Cet identifiant est déjà pris par une autre boutique.</span>');
    const bad = await postForm(cookie, '/admin/stores/new', { ...fields, id: 'Not A Slug', siteUrl: 'shop', timezone: 'Mars/Olympus', _csrf: csrfOf(en) }, { 'Accept-Language': 'fr' });
    expect(bad.status).toBe(400);
    // Field-level refusals in French, next to each field, and the typed values kept; no zod text.
    const refused = await bad.text();
    expect(refused).toContain('Boutique non créée : corrigez les champs signalés.');
    expect(refused).toMatch(/id="f-id" aria-invalid="true" aria-describedby="f-id-err" name="id"[^>]*value="Not A Slug"/);
    expect(refused).toContain('<span id="f-id-err" class="field-error" role="alert">De 2 à 64 caractères : lettres minuscules, chiffres et tirets, sans tiret au début ni à la fin.</span>');
    expect(refused).toContain('Adresse complète attendue, par exemple https://boutique.example.com.');
    expect(refused).toContain('Fuseau horaire inconnu : écrivez-le comme Europe/Paris.');
    expect(refused).not.toMatch(/Invalid|Expected|id: /);
  });

  it('a new connect code replaces the old one, and "rotate" hands a new secret to the plugin', async () => {
    const cookie = await login();
    const en = await page(cookie, '/admin/stores/new?lang=en');
    const created = await postForm(cookie, '/admin/stores/new', { id: 'dash-conn', name: 'Conn', siteUrl: 'https://dash.shop.example', _csrf: csrfOf(en) });
    const oldCode = codeIn(await created.text());
    expect((await connectWith(oldCode)).status).toBe(200);

    const connection = await page(cookie, '/admin/stores/dash-conn/connection');
    expect(connection).toContain('Catalogue');
    expect(connection).toContain('Changer le secret');
    const renewed = await postForm(cookie, '/admin/stores/dash-conn/connection/code', { _csrf: csrfOf(connection) });
    expect(renewed.status).toBe(200);
    const newCode = codeIn(await renewed.text());
    expect(newCode).not.toBe(oldCode);
    expect((await connectWith(oldCode)).status).toBe(401);
    expect((await connectWith(newCode)).status).toBe(200);

    const before = (await findStore(d(), 'dash-conn'))!;
    let pushed = '';
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const body = String(init?.body ?? '');
      const signature = new Headers(init?.headers).get(SIGNATURE_HEADER) ?? undefined;
      expect(String(input)).toBe('https://dash.shop.example/?rest_route=%2Fnightshift%2Fv1%2Fsecret');
      expect(await verifyNightshiftSignature(before.webhookSecret, body, signature, Math.floor(Date.now() / 1000))).toBe('ok');
      pushed = (JSON.parse(body) as { secret: string }).secret;
      return Response.json({ ok: true, webhooks: 11 });
    });
    const rotated = await postForm(cookie, '/admin/stores/dash-conn/connection/rotate', { _csrf: csrfOf(connection) });
    expect(rotated.status).toBe(303);
    const after = (await findStore(d(), 'dash-conn'))!;
    expect(after).toMatchObject({ webhookSecret: pushed, previousWebhookSecret: before.webhookSecret });
    const shown = await (await adminFetch(rotated.headers.get('Location')!, { headers: { Cookie: cookie } })).text();
    expect(shown).toContain('Secret changé. L’ancien est accepté jusqu’au');
    expect(shown).not.toContain(pushed);
  });
});
