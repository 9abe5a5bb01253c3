import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import sample from '../../../shared/datasets/cdnow/CDNOW_sample.txt?raw';
import { installPresetFlows } from '../contacts/runtime/flow-presets';
import { db } from '../db/client';
import { appendConsents } from '../db/queries/consents';
import { findContactScore } from '../db/queries/contact-scores';
import { listContactEnrollments } from '../db/queries/enrollments';
import { upsertStore } from '../db/queries/stores';
import { CHURN_RISK } from '../segments/dynamic/built-in';
import { fullSegmentRun, publishSegmentChanges } from '../segments/dynamic/runs';
import { loadCdnow, type CdnowPurchase } from '../segments/dynamic/test/cdnow';

const DAY = 86_400_000;
const STORE = 'churn-winback';
const JAN_1 = Date.UTC(1997, 0, 1, 12);

/** The CDNOW sample's purchases before `until`, as the store's other customers (946 of them buy again: BG/NBD is fitted). */
function crowd(until: number): CdnowPurchase[] {
  return sample.trim().split('\n').flatMap((line) => {
    const [, sampleId = '', date = '', , dollars = '0'] = line.trim().split(/\s+/);
    const at = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)), 12);
    return at <= until ? [{ customer: `w${Number(sampleId)}`, at, dollars: Number(dollars) }] : [];
  });
}

describe('win-back on the drop in probability alive', () => {
  it('a buyer who stops after ordering every two weeks enters churn-risk, which starts win-back', async () => {
    const d = db(env.DB);
    const run1 = Date.UTC(1997, 6, 2, 3);
    const run2 = Date.UTC(1997, 8, 30, 3);
    await upsertStore(d, { id: STORE, name: STORE, webhookSecret: 'w'.repeat(32), siteKey: `pk_${STORE}`, siteUrl: 'https://shop.example', createdAt: 1, updatedAt: 1 });
    const loyal = Array.from({ length: 13 }, (_, i) => ({ customer: 'loyal', at: JAN_1 + i * 14 * DAY, dollars: 30 }));
    await loadCdnow(STORE, [...crowd(run2), ...loyal]);
    const contact = 'cd_loyal';
    await appendConsents(d, [{ storeId: STORE, contactId: contact, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: JAN_1 }]);
    await installPresetFlows(d, STORE, run1);
    const res = await SELF.fetch(`https://ns.test/api/flows/win-back?store=${STORE}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: true, holdoutPercent: 0, settings: { disengagedSegment: CHURN_RISK } }),
    });
    expect(res.status).toBe(200);

    // Early July: the last order was two weeks ago, in rhythm: alive. The first run is the baseline.
    expect(await fullSegmentRun(d, STORE, run1)).toEqual([]);
    expect((await findContactScore(d, STORE, contact))?.pAlive).toBeGreaterThan(0.8);

    // End of September: thirteen weeks of silence after an order every two weeks.
    const changes = (await fullSegmentRun(d, STORE, run2)).filter((c) => c.contactId === contact);
    expect((await findContactScore(d, STORE, contact))?.pAlive).toBeLessThan(0.3);
    expect(changes.map((c) => `${c.type} ${c.segment}`)).toContain(`segment.entered ${CHURN_RISK}`);
    await publishSegmentChanges(env, d, changes, run2);
    expect((await listContactEnrollments(d, STORE, contact)).map((e) => e.flowId)).toContain('win-back');
  }, 120_000);
});
