import { env } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { untranslatedTexts } from '../../dashboard/i18n/catalogue';
import { ContactScores } from '../../dashboard/views/contact-scores';
import { contactScorePanel as loadContactScores } from '../../db/queries/segment-dashboard';
import { COPY } from '../../dashboard/copy';
import { recordSegmentCounts } from '../../db/queries/segment-dashboard';
import { listSegmentRows } from '../../db/queries/segment-members';
import { applyLeadSignals } from '../../segments/scores/lead-scoring';
import { fullSegmentRun } from '../../segments/dynamic/runs';
import { DAY, segmentWorld } from '../../segments/dynamic/test/world';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm } from '../../test/dashboard-session';
import { visibleTexts } from '../../test/visible-text';

const now = Date.now();

/** Six buyers of different recency, frequency and spend, scored by the nightly run (bands: a small store). */
async function scoredStore(storeId: string) {
  const w = await segmentWorld(storeId);
  const buyers: [string, number[], number][] = [
    ['ana', [2, 10, 20, 40, 50, 60], 120], ['ben', [3], 40], ['chloe', [200, 300], 30], ['dan', [100, 150, 170], 500], ['eve', [5, 8], 75], ['fay', [330], 10],
  ];
  for (const [name, daysAgo, total] of buyers) {
    const id = await w.contact(name);
    for (const d of daysAgo) await w.order(id, now - d * DAY, total);
  }
  await w.contact('gus'); // no order: not scored
  await fullSegmentRun(w.d, storeId, now);
  return w;
}

const text = (html: string) => visibleTexts(html).join(' ').replace(/\s+/g, ' ');

describe('segments pages', () => {
  it('lists every segment with its count and a 30-day trend, in French and in English', async () => {
    const w = await scoredStore('seg-dash-list');
    await recordSegmentCounts(w.d, w.storeId, now - 2 * DAY);
    await w.d.run(sql`UPDATE segment_daily_counts SET members = members + 3 WHERE store_id = ${w.storeId} AND segment_id = 'rfm-champions' AND day < ${new Date(now).toISOString().slice(0, 10)}`);
    const cookie = await login();
    const counts = new Map((await w.d.all<{ id: string; n: number }>(sql`SELECT segment_id AS id, count(*) AS n FROM segment_members WHERE store_id = ${w.storeId} GROUP BY segment_id`)).map((r) => [r.id, r.n]));
    expect(counts.get('rfm-champions')).toBeGreaterThan(0);
    for (const lang of ['fr', 'en'] as const) {
      const html = await page(cookie, `/admin/stores/${w.storeId}/segments?lang=${lang}`);
      expect(untranslatedTexts(visibleTexts(html), lang)).toEqual([]);
      const rows = (await listSegmentRows(w.d, w.storeId)).length;
      expect(rows).toBe(13);
      for (const row of await listSegmentRows(w.d, w.storeId)) {
        const name = lang === 'fr' ? row.nameFr : row.nameEn;
        const cell = new RegExp(`>${name.replace("'", '&#39;')}</a>[\\s\\S]*?data-label="[^"]+">[^<]+</td><td data-label="[^"]+">(\\d+)</td>`).exec(html);
        expect(cell?.[1], row.id).toBe(String(counts.get(row.id) ?? 0));
      }
      const champions = counts.get('rfm-champions') ?? 0;
      const alt = lang === 'fr' ? `2 jour(s) relevé(s) : de ${champions + 3} à ${champions} membres` : `2 day(s) recorded: from ${champions + 3} to ${champions} members`;
      expect(html).toContain(alt);
    }
    expect(await page(cookie, `/admin/stores/${w.storeId}/segments?lang=fr`)).toContain('Prospects chauds');
  });

  it('draws the RFM heat map with the contacts and revenue that contact_scores and the orders hold', async () => {
    const w = await scoredStore('seg-dash-grid');
    const cookie = await login();
    const html = await page(cookie, `/admin/stores/${w.storeId}/segments?lang=en`);
    const expected = await w.d.all<{ r: number; fm: number; n: number; revenue: number }>(sql`
      SELECT cs.r AS r, CAST(round((cs.f + cs.m) / 2.0) AS integer) AS fm, count(*) AS n,
        coalesce(sum((SELECT sum(total - refunded_total) FROM orders o WHERE o.store_id = cs.store_id AND o.contact_id = cs.contact_id AND o.created_at >= ${now - 365 * DAY})), 0) AS revenue
      FROM contact_scores cs WHERE cs.store_id = ${w.storeId} AND cs.r IS NOT NULL GROUP BY 1, 2`);
    expect(expected.reduce((n, e) => n + e.n, 0)).toBe(6);
    const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });
    for (let r = 1; r <= 5; r++) {
      for (let fm = 1; fm <= 5; fm++) {
        const cell = new RegExp(`data-cell="${r}-${fm}"><strong>(\\d+)</strong><small>([^<]+)</small>`).exec(html);
        const e = expected.find((x) => x.r === r && x.fm === fm);
        expect([cell?.[1], cell?.[2]?.replace(/\u00a0/g, ' ')], `${r}-${fm}`).toEqual([String(e?.n ?? 0), money.format(e?.revenue ?? 0).replace(/\u00a0/g, ' ')]);
      }
    }
    expect(html).toContain('Total: 6 scored contacts');
    // The table is the accessible form: column and row headers name R and FM.
    expect(html).toContain('<th scope="col">R 5</th>');
    expect(html).toContain('<th scope="row">FM 1</th>');
  });

  it('saves a valid segment through the API schema, previews its count, and refuses an invalid one on the field', async () => {
    const w = await scoredStore('seg-dash-build');
    const cookie = await login();
    const builder = await page(cookie, `/admin/stores/${w.storeId}/segments/new?lang=fr`);
    expect(untranslatedTexts(visibleTexts(builder), 'fr')).toEqual([]);
    const csrf = csrfOf(builder);
    const base = { _csrf: csrf, rows: '2', match: 'all', nameFr: 'Gros acheteurs', nameEn: 'Big spenders', 'c0.kind': 'orders', 'c0.metric': 'spend', 'c0.op': 'gte', 'c0.value': '200', 'c1.kind': 'rfm', 'c1.segments.champions': 'on', 'c1.segments.loyal': 'on', 'c1.segments.cant_lose': 'on' };
    const bad = await postForm(cookie, `/admin/stores/${w.storeId}/segments/new`, { ...base, 'c0.value': 'beaucoup', nameEn: '' }, { Origin: ORIGIN });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('<span id="c0.value-error" class="field-error" role="alert">Valeur manquante ou invalide.</span>');
    expect(badHtml).toMatch(/id="c0\.value" name="c0\.value" value="beaucoup"[^>]*aria-invalid="true" aria-describedby="c0\.value-error"/);
    expect(badHtml).toContain('id="nameEn-error"');
    expect(badHtml).not.toContain('c1.segments-error');
    const noTarget = await postForm(cookie, `/admin/stores/${w.storeId}/segments/new`, { ...base, rows: '1', 'c0.kind': 'bought', 'c0.value': '' }, { Origin: ORIGIN });
    expect(await noTarget.text()).toContain('Indiquez un produit ou une catégorie.');
    expect((await listSegmentRows(w.d, w.storeId)).length).toBe(13);

    const preview = await postForm(cookie, `/admin/stores/${w.storeId}/segments/preview`, base, { Origin: ORIGIN });
    expect(preview.status).toBe(200);
    const spenders = await w.d.get<{ n: number }>(sql`
      SELECT count(*) AS n FROM contact_scores cs WHERE cs.store_id = ${w.storeId} AND cs.rfm_segment IN ('champions', 'loyal', 'cant_lose')
        AND (SELECT sum(total) FROM orders o WHERE o.store_id = cs.store_id AND o.contact_id = cs.contact_id) >= 200`);
    expect(spenders?.n).toBeGreaterThan(0);
    expect(await preview.text()).toContain(`${spenders?.n} contact(s) correspondent aujourd’hui.`);

    const saved = await postForm(cookie, `/admin/stores/${w.storeId}/segments/new`, base, { Origin: ORIGIN });
    expect(saved.status).toBe(303);
    const api = await (await adminFetch(`/api/segments?store=${w.storeId}`, { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } })).json<{ segments: { id: string; name: { fr: string }; rules: unknown; count: number }[] }>();
    const created = api.segments.find((s) => s.name.fr === 'Gros acheteurs');
    expect(created?.rules).toEqual({ version: 1, match: { all: [{ kind: 'orders', metric: 'spend', op: 'gte', value: 200 }, { kind: 'rfm', segments: ['champions', 'loyal', 'cant_lose'] }] } });
    expect(created?.count).toBe(spenders?.n);
    expect(saved.headers.get('Location')).toBe(`/admin/stores/${w.storeId}/segments?saved=${created?.id}`);
    expect(await page(cookie, saved.headers.get('Location') ?? '')).toContain('Segment « Gros acheteurs » enregistré.');

    // Edit: the form comes back as it was saved; a row removed and saved again is a new version.
    const edit = await page(cookie, `/admin/stores/${w.storeId}/segments/${created?.id}/edit?lang=en`);
    expect(edit).toMatch(/name="c1\.segments\.loyal" checked/);
    expect(edit).toContain('<option value="spend" selected="">amount spent</option>');
    const removed = await postForm(cookie, `/admin/stores/${w.storeId}/segments/${created?.id}/edit`, { ...base, op: 'remove.1' }, { Origin: ORIGIN });
    expect(await removed.text()).not.toContain('c1.kind');
    const resaved = await postForm(cookie, `/admin/stores/${w.storeId}/segments/${created?.id}/edit`, { ...base, rows: '1' }, { Origin: ORIGIN });
    expect(resaved.status).toBe(303);
    const row = (await listSegmentRows(w.d, w.storeId)).find((s) => s.id === created?.id);
    expect([row?.version, row?.rules]).toEqual([2, { version: 1, match: { all: [{ kind: 'orders', metric: 'spend', op: 'gte', value: 200 }] } }]);

    // Delete asks first, then removes.
    expect(await page(cookie, `/admin/stores/${w.storeId}/segments/${created?.id}/delete?lang=en`)).toContain('Delete “Big spenders” for good?');
    const gone = await postForm(cookie, `/admin/stores/${w.storeId}/segments/${created?.id}/delete`, { _csrf: csrf }, { Origin: ORIGIN });
    expect(gone.status).toBe(303);
    expect((await listSegmentRows(w.d, w.storeId)).some((s) => s.id === created?.id)).toBe(false);
    // Built-in segments are not editable from the builder.
    expect((await adminFetch(`/admin/stores/${w.storeId}/segments/rfm-champions/edit`, { headers: { Cookie: cookie } })).status).toBe(422);
  });

  it('pages through a segment’s members, each linking to the contact', async () => {
    const w = await scoredStore('seg-dash-members');
    const cookie = await login();
    const html = await page(cookie, `/admin/stores/${w.storeId}/segments/hot-lead?lang=fr`);
    expect(html).toContain('Aucun membre.');
    const members = await w.d.all<{ id: string; email: string }>(sql`SELECT m.contact_id AS id, c.email AS email FROM segment_members m JOIN contacts c ON c.id = m.contact_id WHERE m.store_id = ${w.storeId} AND m.segment_id = 'rfm-champions'`);
    const champions = await page(cookie, `/admin/stores/${w.storeId}/segments/rfm-champions?lang=en`);
    expect(champions).toContain(`${members.length} member(s)`);
    for (const m of members) expect(champions).toContain(`<a href="/admin/stores/${w.storeId}/contacts/${m.id}">${m.email}</a>`);
  });

  it('shows a contact’s memberships, RFM scores and method, and the lead score decayed to now', async () => {
    const w = await scoredStore('seg-dash-contact');
    const ana = await w.contact('ana');
    await applyLeadSignals(w.d, w.storeId, ana, [{ kind: 'email_clicked', at: now - 14 * DAY }]);
    const scores = await loadContactScores(w.d, w.storeId, ana, now);
    expect(scores.rfm?.method).toBe('bands');
    const html = String(ContactScores({ t: COPY.fr, lang: "fr", storeId: w.storeId, timeZone: "Europe/Paris", scores }));
    expect(html).toContain(`${scores.rfm?.name.fr} · R ${scores.rfm?.r} · F ${scores.rfm?.f} · M ${scores.rfm?.m}`);
    expect(html).toContain('seuils fixes (petite boutique)');
    // A click is worth 5 points; 14 days later, with a 30-day half-life, it is worth 5 · 2^(−14/30).
    expect(scores.leadScore.value).toBeCloseTo(5 * 0.5 ** (14 / 30), 2);
    expect(html).toContain(`${new Intl.NumberFormat('fr', { maximumFractionDigits: 2 }).format(scores.leadScore.value)} aujourd’hui (demi-vie`);
    const memberOf = scores.segments.map((s) => s.id);
    expect(memberOf).toContain(`rfm-${scores.rfm?.segment.replaceAll('_', '-')}`);
    for (const s of scores.segments) expect(html).toContain(`>${s.name.fr}</a>`);
    expect(untranslatedTexts(visibleTexts(html), 'fr')).toEqual([]);
  });
});
