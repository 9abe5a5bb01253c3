import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { upsertStore } from '../../db/queries/stores';
import { CATALOGS } from '../../messaging/templates';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm } from '../../test/dashboard-session';

async function seed(id: string) {
  await upsertStore(db(env.DB), { id, name: 'Boutique Éditeur', siteUrl: 'https://shop.example', adminEmail: 'owner@shop.example', webhookSecret: 'w'.repeat(32), siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

const editor = (store: string, msg: string) => `/admin/stores/${store}/flows/abandoned-cart/messages/email_1?msg=${msg}`;
const form = (csrf: string, action: string, subject: string, lang: 'fr' | 'en') => ({ _csrf: csrf, do: action, ...CATALOGS[lang].templates['cart.reminder.1'], subject, contact: '' });

describe('dashboard message editor', () => {
  it('links each message step from the flows page and shows the live wording with its preview at two widths', async () => {
    await seed('dme-view');
    const cookie = await login();
    const flows = await page(cookie, '/admin/stores/dme-view/flows');
    expect(flows).toContain('href="/admin/stores/dme-view/flows/abandoned-cart/messages/email_1"');
    expect(flows).toContain('Modifier · SMS sms');
    const res = await adminFetch(editor('dme-view', 'fr'), { headers: { Cookie: cookie } });
    expect(res.headers.get('Content-Security-Policy')).toContain('img-src data: https:');
    const html = await res.text();
    expect(html).toContain('Corps HTML (Liquid)');
    expect(html).toContain('title="Aperçu · Téléphone"');
    expect(html).toContain('sandbox=""');
    expect(html).toContain('Texte d’origine');
    const en = await page(cookie, `${editor('dme-view', 'en')}&lang=en`);
    expect(en).toContain('Send me a test');
    expect(en).toContain('you left something in your cart');
  });

  it('saves, previews a draft, test-sends and restores through CSRF-checked forms, with field errors in the admin language', async () => {
    await seed('dme-edit');
    const cookie = await login();
    const csrf = csrfOf(await page(cookie, editor('dme-edit', 'fr')));
    const preview = await postForm(cookie, editor('dme-edit', 'fr'), form(csrf, 'preview', 'Brouillon {{ contact.first_name }}', 'fr'), { Origin: ORIGIN });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('<dd id="preview-subject">Brouillon Camille</dd>');

    const saved = await postForm(cookie, editor('dme-edit', 'fr'), form(csrf, 'save', 'Votre panier, gardé au chaud', 'fr'), { Origin: ORIGIN });
    expect(saved.status).toBe(303);
    const after = await page(cookie, saved.headers.get('Location')!);
    expect(after).toContain('Enregistré (version 1).');
    expect(after).toContain('value="Votre panier, gardé au chaud"');
    expect(after).toContain('Texte personnalisé');

    const tested = await postForm(cookie, editor('dme-edit', 'fr'), form(csrf, 'test', 'Votre panier, gardé au chaud', 'fr'), { Origin: ORIGIN });
    expect(tested.status).toBe(303);
    expect(await page(cookie, tested.headers.get('Location')!)).toContain('Test envoyé à owner@shop.example');
    expect(await page(cookie, '/admin/stores/dme-edit/messages')).toContain('[Test] Votre panier, gardé au chaud');

    const bad = await postForm(cookie, editor('dme-edit', 'fr'), { ...form(csrf, 'save', 'Salut {{ contact.surnom }}', 'fr'), html: '<p>{% if %}</p>' }, { Origin: ORIGIN });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Variable inconnue pour cette étape : contact.surnom');
    expect(badHtml).toMatch(/id="f-html-err"[^>]*><li>Le modèle Liquid ne se lit pas \(ligne 1\)/);
    const badEn = await postForm(cookie, `${editor('dme-edit', 'fr')}&lang=en`, { ...form(csrf, 'save', 'Hi {{ contact.nickname }}', 'fr') }, { Origin: ORIGIN });
    expect(await badEn.text()).toContain('Unknown variable for this step: contact.nickname');

    const restored = await postForm(cookie, editor('dme-edit', 'fr'), { _csrf: csrf, do: 'restore' }, { Origin: ORIGIN });
    expect(restored.status).toBe(303);
    const back = await page(cookie, restored.headers.get('Location')!);
    expect(back).toContain('Version rétablie.');
    expect(back).toContain('Texte d’origine');

    const forged = await postForm(cookie, editor('dme-edit', 'fr'), { ...form('0'.repeat(64), 'save', 'pirate', 'fr') }, { Origin: ORIGIN });
    expect(forged.status).toBe(403);
  });
});
