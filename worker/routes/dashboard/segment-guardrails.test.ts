import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { untranslatedTexts } from '../../dashboard/i18n/catalogue';
import { db } from '../../db/client';
import { createSegment } from '../../segments/dynamic/segment-admin';
import { csrfOf, login, ORIGIN, page, postForm, seedDashboardStore } from '../../test/dashboard-session';
import { visibleTexts } from '../../test/visible-text';

const STORE = 'set-seg-rules';
const PATH = `/admin/stores/${STORE}/settings/guardrails`;
const text = (html: string) => visibleTexts(html).join(' ').replace(/\s+/g, ' ');

async function rules(): Promise<unknown[]> {
  const res = await SELF.fetch(`${ORIGIN}/api/stores/${STORE}/guardrails`, { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } });
  return ((await res.json()) as { segments: unknown[] }).segments;
}

describe('settings: guardrails per segment', () => {
  it('adds, shows in both languages, refuses an empty rule on its form, and removes a segment rule', async () => {
    await seedDashboardStore(STORE);
    const segment = await createSegment(db(env.DB), STORE, { name: { fr: 'Clients lointains', en: 'Faraway buyers' }, rules: { version: 1, match: { all: [{ kind: 'location', country: ['CA'] }] } } }, Date.now());
    const cookie = await login();
    const post = async (path: string, fields: Record<string, string>, lang = 'fr') => {
      const html = await page(cookie, `${PATH}?lang=${lang}`);
      return postForm(cookie, path, { _csrf: csrfOf(html), ...fields }, { Origin: ORIGIN, Cookie: `${cookie}; ns_admin_lang=${lang}` });
    };

    const saved = await post(`${PATH}/segments`, { segment: segment.id, cap: '1', windowDays: '14 j' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`${PATH}?saved=1`);
    expect(await rules()).toMatchObject([{ segmentId: segment.id, exclude: false, cap: 1, windowDays: 14 }]);
    const fr = await page(cookie, `${PATH}?lang=fr`);
    expect(text(fr)).toContain('Garde-fous par segment');
    expect(text(fr)).toContain('Clients lointains 1 message(s) promotionnel(s) au plus par canal en 14 j');
    expect(untranslatedTexts(visibleTexts(fr), 'fr')).toEqual([]);
    const en = await page(cookie, `${PATH}?lang=en`);
    expect(text(en)).toContain('Faraway buyers At most 1 promotional message(s) per channel in 14 d');
    expect(untranslatedTexts(visibleTexts(en), 'en')).toEqual([]);

    // Neither excluded nor capped: refused on the form, which keeps what was typed; nothing changes.
    const refused = await post(`${PATH}/segments`, { segment: segment.id, cap: '', windowDays: '7 d' }, 'en');
    expect(refused.status).toBe(400);
    const body = await refused.text();
    expect(text(body)).toContain('Rule refused: pick a segment, then exclude it, give a cap from 1 to 50 over 1 to 90 days or a hibernation of 7 days or more.');
    expect(body).toContain('value="7 d"');
    expect((await post(`${PATH}/segments`, { segment: segment.id, cap: '', windowDays: '7', hibernationDays: '2 d' }, 'en')).status).toBe(400);
    expect((await post(`${PATH}/segments`, { segment: 'seg_nope', exclude: 'on', windowDays: '7' })).status).toBe(400);

    expect((await post(`${PATH}/segments`, { segment: segment.id, exclude: 'on', cap: '', windowDays: '7', hibernationDays: '30 j' })).status).toBe(303);
    expect(await rules()).toMatchObject([{ segmentId: segment.id, exclude: true, cap: null, hibernationDays: 30 }]);
    expect(text(await page(cookie, `${PATH}?lang=fr`))).toContain('Clients lointains Exclus des envois promotionnels · Hibernation après 30 j sans activité');
    expect(text(await page(cookie, `${PATH}?lang=en`))).toContain('Faraway buyers Excluded from promotional sends · Hibernation after 30 d without activity');

    expect((await post(`${PATH}/segments/${segment.id}/delete`, {})).status).toBe(303);
    expect(await rules()).toEqual([]);
    expect(text(await page(cookie, `${PATH}?lang=fr`))).toContain('Aucune règle de segment.');
  });
});
