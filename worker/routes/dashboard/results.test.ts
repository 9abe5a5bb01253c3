import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { COPY } from '../../dashboard/copy';
import { FlowResultsSummary } from '../../dashboard/views/flow-results';
import { db } from '../../db/client';
import { findAttributionWindows } from '../../db/queries/attribution';
import { seedWelcome } from '../../test/measurement-fixtures';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm } from '../../test/dashboard-session';

const RANGE = 'from=2026-11-02&to=2026-11-05';
const squash = (html: string) => html.replace(/\u202f|\u00a0/g, ' ');

describe('/admin/stores/:store/flows/:flow/results', () => {
  it('shows the stats API figures in French: key figures, an SVG funnel and daily chart with text alternatives', async () => {
    const s = 'dash-results';
    await seedWelcome(s);
    const cookie = await login();
    const api = await (await adminFetch(`/api/flows/welcome/stats?store=${s}&${RANGE}`, { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } })).json<{ totals: { sent: number; revenue: number } }>();
    const html = squash(await page(cookie, `/admin/stores/${s}/flows/welcome/results?${RANGE}`));
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('Résultats : Série de bienvenue avec préférences');
    expect(html).toMatch(new RegExp(`<dt>Envoyés</dt><dd>${api.totals.sent}</dd>`));
    expect(html).toContain('<dt>Chiffre d’affaires attribué</dt><dd>64,50 €</dd>');
    expect(html).toContain('<dd>33,3 %</dd>');
    // Funnel, daily series, and the holdout panel's lift (the welcome flow runs no test).
    expect(html.match(/<svg [^>]*role="img"/g)).toHaveLength(3);
    expect(html).toMatch(/<title id="funnel-t">Entonnoir par étape<\/title><desc id="funnel-d">Pour chacune des 3 étapes/);
    expect(html).toMatch(/<desc id="daily-d">Sur 4 jours : 3 messages envoyés \(barres\), 1 commandes attribuées \(points\) et 64,50 € de chiffre d’affaires/);
    expect(html).toContain('<td>2026-11-03</td><td>2</td><td>1</td><td>64,50 €</td>');
    expect(html).toContain('<td>email_2</td><td>1</td><td>0</td><td>1</td><td>1</td><td>64,50 €</td>');
    expect(html).toContain('<td>A commandé</td><td>1</td>');
    expect(html).toContain('un clic d’e-mail dans les 120 h');
  });

  it('speaks English with ?lang=en and refuses a bad range or an unknown flow', async () => {
    const cookie = await login();
    const html = squash(await page(cookie, `/admin/stores/dash-results/flows/welcome/results?${RANGE}&lang=en`));
    expect(html).toContain('Results: Welcome series with preferences');
    expect(html).toContain('<dt>Revenue credited</dt><dd>€64.50</dd>');
    expect(html).toContain('<title id="daily-t">Day by day</title>');
    expect(html).toContain('an email click within 120 h');
    expect((await adminFetch('/admin/stores/dash-results/flows/welcome/results?from=2026-12-01&to=2026-11-01', { headers: { Cookie: cookie } })).status).toBe(400);
    expect((await adminFetch('/admin/stores/dash-results/flows/nope/results', { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it('FlowResultsSummary renders sent, conversion and revenue, linking to the results page', async () => {
    const store = { id: 'dash-results', name: 'x', currency: 'EUR' };
    const fr = String(await FlowResultsSummary({ t: COPY.fr, lang: 'fr', store, flowId: 'welcome', figures: { sent: 40, converted: 3, revenue: 120.5 } }));
    expect(squash(fr)).toContain('40 envoyés · 7,5 % conversion · 120,50 € CA attribué');
    expect(fr).toContain('href="/admin/stores/dash-results/flows/welcome/results"');
    const en = String(await FlowResultsSummary({ t: COPY.en, lang: 'en', store, flowId: 'welcome', figures: { sent: 0, converted: 0, revenue: 0 } }));
    expect(en).toContain('0 sent · — conversion · €0.00 revenue credited');
  });
});

describe('/admin/stores/:store/attribution', () => {
  it('saves the windows from the form, and marks a wrong field without saving', async () => {
    const s = 'dash-results';
    const cookie = await login();
    const html = await page(cookie, `/admin/stores/${s}/attribution`);
    expect(html).toContain('Fenêtres d’attribution');
    expect(html).toContain('name="emailClickHours" type="number" min="0" max="2160" step="1" required="" value="120"');
    const bad = await postForm(cookie, `/admin/stores/${s}/attribution`, { _csrf: csrfOf(html), emailClickHours: '-3', emailOpenHours: '24', smsClickHours: '24' }, { Origin: ORIGIN });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="emailClickHours"[^>]*aria-invalid="true"/);
    expect((await findAttributionWindows(db(env.DB), s)).emailClickHours).toBe(120);
    const ok = await postForm(cookie, `/admin/stores/${s}/attribution`, { _csrf: csrfOf(html), emailClickHours: '168', emailOpenHours: '12', smsClickHours: '6' }, { Origin: ORIGIN });
    expect(ok.status).toBe(303);
    expect(await findAttributionWindows(db(env.DB), s)).toEqual({ emailClickHours: 168, emailOpenHours: 12, smsClickHours: 6 });
    const after = await page(cookie, `/admin/stores/${s}/attribution?saved=1&lang=en`);
    expect(after).toContain('Attribution windows saved.');
    expect(after).toContain('168 h = 7 d');
    expect((await postForm(cookie, `/admin/stores/${s}/attribution`, { emailClickHours: '1', emailOpenHours: '1', smsClickHours: '1' })).status).toBe(403);
  });
});
