import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findFlow } from '../../db/queries/flows';
import { journeyEnrollments, orders } from '../../db/schema';
import { customerFlow, seedStoreWithFlows } from '../../test/experiment-kit';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm } from '../../test/dashboard-session';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 9, 1, 9, 0);
const RANGE = 'from=2026-10-01&to=2026-10-10';
const FLOW = 'ab-page';
const d = () => db(env.DB);
const squash = (html: string) => html.replace(/\u202f|\u00a0/g, ' ');

const flow = customerFlow(FLOW, 10, 'split', [
  { type: 'split', id: 'split', experiment: 'length', branches: [{ key: 'a', next: 'ea' }, { key: 'b', next: 'eb' }] },
  { type: 'send_email', id: 'ea', template: 'welcome.1' },
  { type: 'send_email', id: 'eb', template: 'welcome.2' },
]);

/** 100 contacts on each branch (10 and 25 pay 40 €), 20 held out (2 pay 40 €), all in early October. */
async function seed(store: string): Promise<void> {
  await seedStoreWithFlows(store, [flow], Date.now());
  let n = 0;
  const enrol = (contactId: string, variant: string, heldOut: boolean) => {
    const at = T0 + (n++ % 100) * HOUR;
    return { storeId: store, id: `${contactId}:${FLOW}`, contactId, flowId: FLOW, flowVersion: 1, status: 'completed' as const, enteredAt: at, updatedAt: at, variant, heldOut };
  };
  const rows = [
    ...Array.from({ length: 100 }, (_, i) => enrol(`a${i}`, 'a', false)),
    ...Array.from({ length: 100 }, (_, i) => enrol(`b${i}`, 'b', false)),
    ...Array.from({ length: 20 }, (_, i) => enrol(`h${i}`, i % 2 ? 'b' : 'a', true)),
  ];
  const paid = [...Array.from({ length: 10 }, (_, i) => `a${i}`), ...Array.from({ length: 25 }, (_, i) => `b${i}`), 'h0', 'h1'];
  for (let i = 0; i < rows.length; i += 7) await d().insert(journeyEnrollments).values(rows.slice(i, i + 7));
  const orderRows = paid.map((contactId, i) => {
    const at = T0 + 2 * DAY + i * HOUR;
    return { storeId: store, id: i + 1, contactId, status: 'processing', total: 40, couponCodes: [], attribution: {}, createdAt: at, paidAt: at, sourceModifiedAt: at, updatedAt: at };
  });
  for (let i = 0; i < orderRows.length; i += 5) await d().insert(orders).values(orderRows.slice(i, i + 5));
}

const resultsPath = (store: string) => `/admin/stores/${store}/flows/${FLOW}/results`;

describe('flow results page: the test, the holdout, ending and starting a test', () => {
  it('shows each branch and the holdout as the stats API counts them, in French and English, with SVG and text', async () => {
    const store = 'ab-page-figures';
    await seed(store);
    const api = await (await adminFetch(`/api/flows/${FLOW}/stats?store=${store}&${RANGE}`, { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } })).json<{
      experiment: { experiments: { branches: { entered: number; converted: number }[] }[]; holdout: { treated: { entered: number }; heldOut: { entered: number; converted: number } } };
    }>();
    expect(api.experiment.experiments[0]!.branches.map((b) => [b.entered, b.converted])).toEqual([[100, 10], [100, 25]]);
    expect(api.experiment.holdout).toMatchObject({ treated: { entered: 200 }, heldOut: { entered: 20, converted: 2 } });

    const cookie = await login();
    const fr = squash(await page(cookie, `${resultsPath(store)}?${RANGE}`));
    expect(fr).toContain('<h3>Test « length » en cours</h3>');
    expect(fr).toContain('<td>a (témoin)</td><td>1</td><td>100</td><td>10</td><td>10 %</td><td>—</td><td>4,00 €</td>');
    expect(fr).toMatch(/<td>b<\/td><td>1<\/td><td>100<\/td><td>25<\/td><td>25 %<\/td><td>\+15 % \(de \+[\d,]+ % à \+[\d,]+ %\)<\/td><td>10,00 €<\/td>/);
    // 10 % against 25 % of 100 each: the interval excludes zero, yet the always-valid test wants more contacts.
    expect(fr).toContain('<p class="banner info">Pas encore de gagnant : il faut environ 166 contacts de plus pour trancher aux taux actuels.</p>');
    expect(fr).toContain('<td>Contacts traités</td><td>200</td><td>35</td><td>17,5 %</td><td>7,00 €</td>');
    expect(fr).toContain('<td>Groupe témoin</td><td>20</td><td>2</td><td>10 %</td><td>4,00 €</td>');
    expect(fr).toMatch(/<dt>Gain de conversion \(IC 95 %\)<\/dt><dd>\+7,5 % \(de -[\d,]+ % à \+[\d,]+ %\)<\/dd>/);
    expect(fr).toContain('<dt>Chiffre d’affaires incrémental</dt><dd>600,00 €</dd>');
    expect(fr).toContain('10 % des entrants parcourent le scénario sans rien recevoir');
    expect(fr).toMatch(/<title id="test-length-chart-t">Écart de conversion avec la branche témoin<\/title><desc id="test-length-chart-d">Branches comparées à la témoin : 1\./);
    expect(fr).toMatch(/<svg [^>]*aria-labelledby="holdout-chart-t holdout-chart-d"/);
    // A test runs: the end form is there, the start form is not.
    expect(fr).toContain(`action="/admin/stores/${store}/flows/${FLOW}/experiments/length/end"`);
    expect(fr).toMatch(/<input type="checkbox" name="confirm" value="on" required=""\/?> Je confirme : terminer ce test maintenant/);
    expect(fr).not.toContain('id="ab"');

    const en = squash(await page(cookie, `${resultsPath(store)}?${RANGE}&lang=en`));
    expect(en).toContain('<h3>Test “length” running</h3>');
    expect(en).toContain('<td>Holdout</td><td>20</td><td>2</td><td>10%</td><td>€4.00</td>');
    expect(en).toContain('<dt>Incremental revenue</dt><dd>€600.00</dd>');
  });

  it('ends the test only with CSRF and a confirmation, then offers to start a new one, which saves a split version', async () => {
    const store = 'ab-page-end';
    await seed(store);
    const cookie = await login();
    const html = await page(cookie, resultsPath(store));
    const end = `${resultsPath(store).replace('/results', '')}/experiments/length/end`;
    expect((await postForm(cookie, end, { winner: 'b', confirm: 'on' }, { Origin: ORIGIN })).status).toBe(403);
    expect((await postForm(cookie, end, { _csrf: csrfOf(html), winner: 'b' }, { Origin: ORIGIN })).status).toBe(400);
    expect((await findFlow(d(), store, FLOW))!.version).toBe(1);
    const ended = await postForm(cookie, end, { _csrf: csrfOf(html), winner: 'b', confirm: 'on' }, { Origin: ORIGIN });
    expect(ended.status).toBe(303);
    expect(ended.headers.get('Location')).toBe(`${resultsPath(store)}?ended=b&version=2`);
    const saved = (await findFlow(d(), store, FLOW))!.definition;
    expect(saved.nodes.find((n) => n.id === 'start')).toMatchObject({ next: 'eb' });

    const after = squash(await page(cookie, `${resultsPath(store)}?ended=b&version=2&${RANGE}`));
    expect(after).toContain('Test terminé : la branche b est retenue (version 2).');
    expect(after).toContain('<h3>Test « length » terminé : branche b retenue</h3>');
    expect(after).toContain('<h2>Lancer un test A/B de deux séquences</h2>');
    expect(after).toContain('<option value="eb">E-mail eb · welcome.2</option>');

    const start = `${resultsPath(store).replace('/results', '')}/experiments`;
    const refused = await postForm(cookie, start, { _csrf: csrfOf(after), version: '2', experiment: 'length-2', weightA: '50', step1: 'eb', wait1: '2 zz' }, { Origin: ORIGIN });
    expect(refused.status).toBe(400);
    expect(squash(await refused.text())).toMatch(/id="ab-wait1"[^>]*value="2 zz" aria-invalid="true"[^>]*>.*Unité inconnue/s);
    const reused = await postForm(cookie, start, { _csrf: csrfOf(after), version: '2', experiment: 'length', weightA: '50', step1: 'eb' }, { Origin: ORIGIN });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain('Ce nom est celui d’un test terminé : choisissez-en un autre.');
    expect((await findFlow(d(), store, FLOW))!.version).toBe(2);

    const started = await postForm(cookie, start, { _csrf: csrfOf(after), version: '2', experiment: 'length-2', weightA: '30', step1: 'ea', wait1: '', step2: 'eb', wait2: '2 j' }, { Origin: ORIGIN });
    expect(started.status).toBe(303);
    expect(started.headers.get('Location')).toBe(`${resultsPath(store)}?started=1&version=3#ab`);
    const test = (await findFlow(d(), store, FLOW))!.definition;
    expect(test.nodes.find((n) => n.type === 'split')).toMatchObject({ experiment: 'length-2', branches: [{ key: 'a', weight: 30, next: 'eb' }, { key: 'b', weight: 70, next: 'b1_wait' }] });
    expect(test.nodes.find((n) => n.id === 'b2_wait')).toMatchObject({ until: { kind: 'duration', duration: '2d' }, next: 'b2_eb' });
    const en = squash(await page(cookie, `${resultsPath(store)}?started=1&version=3&lang=en`));
    expect(en).toContain('Test started: flow version 3.');
    expect(en).toContain('<h3>Test “length-2” running</h3>');
  });
});
