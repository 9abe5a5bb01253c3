import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { OrderPaid } from '../../contacts/domain-events';
import { publishDomainEvents } from '../../contacts/publish-events';
import { installPresetFlows } from '../../contacts/runtime/flow-presets';
import { appendConsents } from '../../db/queries/consents';
import { findContactScore } from '../../db/queries/contact-scores';
import { setContactProperty, setContactTag } from '../../db/queries/contact-tags';
import { listContactEnrollments } from '../../db/queries/enrollments';
import { allMembers, upsertSegments } from '../../db/queries/segment-members';
import { middayZone } from '../../test/clock';
import { rescoreBuyer } from '../scores/rfm-scoring';
import { HOT_LEAD, rfmSegmentId } from './built-in';
import { refreshContactSegments, recomputeStoreSegments, ensureBuiltIns } from './membership';
import { fullSegmentRun, publishSegmentChanges } from './runs';
import { DAY, segmentWorld, type SegmentWorld } from './test/world';

const AT_RISK = rfmSegmentId('at_risk');

async function snapshot(w: SegmentWorld): Promise<string[]> {
  const rows = await w.d.all<{ s: string; c: string }>(
    `SELECT segment_id AS s, contact_id AS c FROM segment_members WHERE store_id = '${w.storeId}' ORDER BY s, c` as never,
  );
  return rows.map((r) => `${r.s}:${r.c}`);
}

describe('membership kept in D1', () => {
  it('entering At Risk at the nightly run starts win-back (a flow triggered by that segment) for that contact', async () => {
    const now = Date.now();
    const w = await segmentWorld('seg-at-risk');
    await w.d.run(`UPDATE stores SET timezone = '${middayZone(now)}', site_url = 'https://shop.example' WHERE id = 'seg-at-risk'` as never);
    await installPresetFlows(w.d, w.storeId, now);
    const res = await SELF.fetch(`https://ns.test/api/flows/win-back?store=${w.storeId}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: true, settings: { disengagedSegment: AT_RISK } }),
    });
    expect(res.status).toBe(200);
    const loyal = await w.contact('loyal');
    await appendConsents(w.d, [{ storeId: w.storeId, contactId: loyal, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 300 * DAY }]);
    for (const ago of [190, 180, 170, 160]) await w.order(loyal, now - ago * DAY, 100);
    for (const name of ['one', 'two']) await w.order(await w.contact(name), now - 200 * DAY, 50);

    // 150 days ago the loyal buyer had just ordered: Champions. That first run is the baseline (no events).
    expect(await fullSegmentRun(w.d, w.storeId, now - 150 * DAY)).toEqual([]);
    expect(await allMembers(w.d, w.storeId, rfmSegmentId('champions'))).toEqual([loyal]);
    expect(await listContactEnrollments(w.d, w.storeId, loyal)).toEqual([]);

    // Tonight: 160 days without an order, R falls to 2 with F and M still high: At Risk.
    const changes = await fullSegmentRun(w.d, w.storeId, now);
    expect(changes.filter((c) => c.contactId === loyal).map((c) => `${c.type} ${c.segment}`).sort()).toEqual([
      `segment.entered ${AT_RISK}`,
      `segment.exited ${rfmSegmentId('champions')}`,
    ]);
    expect(await findContactScore(w.d, w.storeId, loyal)).toMatchObject({ r: 2, rfmSegment: 'at_risk', rfmMethod: 'bands' });
    await publishSegmentChanges(env, w.d, changes, now);
    const enrollments = await listContactEnrollments(w.d, w.storeId, loyal);
    expect(enrollments.map((e) => e.flowId)).toEqual(['win-back']);
  });

  it('incremental updates for one contact agree with a full recompute after a random sequence of changes', async () => {
    const now = Date.UTC(2026, 10, 20);
    const w = await segmentWorld('seg-random');
    await ensureBuiltIns(w.d, w.storeId, now);
    const custom = (id: string, match: unknown) => ({ id, storeId: w.storeId, nameEn: id, nameFr: id, rules: { version: 1, match }, createdAt: now, updatedAt: now });
    await upsertSegments(w.d, [
      custom('big-spenders', { all: [{ kind: 'orders', metric: 'spend', op: 'gte', value: 150 }] }),
      custom('engaged-vips', { any: [{ kind: 'tag', tag: 'vip' }, { all: [{ kind: 'engagement', action: 'visited', withinDays: 14 }, { kind: 'consent', channel: 'email', granted: true }] }] }),
      custom('not-lately', { none: [{ kind: 'order_date', which: 'last', op: 'within', days: 30 }, { kind: 'property', key: 'plan', op: 'eq', value: 'gold' }] }),
    ]);
    const contacts = [];
    for (let i = 0; i < 8; i++) contacts.push(await w.contact(`r${i}`));
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let step = 0; step < 60; step++) {
      const c = pick(contacts);
      const action = pick(['order', 'visit', 'tag', 'untag', 'plan', 'consent']);
      if (action === 'order') await w.order(c, now - Math.floor(rand() * 400) * DAY, Math.round(rand() * 120));
      if (action === 'visit') await w.event(c, 'page_view', now - Math.floor(rand() * 30) * DAY);
      if (action === 'tag' || action === 'untag') await setContactTag(w.d, w.storeId, c, 'vip', action === 'tag', now);
      if (action === 'plan') await setContactProperty(w.d, w.storeId, c, 'plan', pick(['gold', 'silver']), now);
      if (action === 'consent') await appendConsents(w.d, [{ storeId: w.storeId, contactId: c, channel: 'email', purpose: 'marketing', granted: rand() < 0.6, source: 'api', occurredAt: now - 1000 + step }]);
      if (action === 'order') await rescoreBuyer(w.d, w.storeId, c, now);
      await refreshContactSegments(w.d, w.storeId, c, now);
    }
    const incremental = await snapshot(w);
    expect(incremental.length).toBeGreaterThan(5);
    expect(await recomputeStoreSegments(w.d, w.storeId, now)).toEqual([]);
    expect(await snapshot(w)).toEqual(incremental);
  });

  it('a fresh order event rescores RFM and moves the contact at once; views raise the lead score into hot leads', async () => {
    const now = Date.now();
    const w = await segmentWorld('seg-live');
    const buyer = await w.contact('buyer');
    await fullSegmentRun(w.d, w.storeId, now - DAY);
    expect(await allMembers(w.d, w.storeId, rfmSegmentId('potential_loyalist'))).toEqual([]);

    const orderId = await w.order(buyer, now - 60_000, 80);
    const paid: OrderPaid = { id: `order:${orderId}:paid`, storeId: w.storeId, contactId: buyer, occurredAt: now - 60_000, type: 'order.paid', orderId, number: null, total: 80, currency: 'EUR', couponCodes: [], lines: [] };
    await publishDomainEvents(env, w.d, [paid], 'woocommerce', now);
    // The store's only buyer spends its median: M 2, so FM 2 and R 5 read Potential Loyalist.
    expect(await findContactScore(w.d, w.storeId, buyer)).toMatchObject({ r: 5, f: 1, m: 2, rfmSegment: 'potential_loyalist', rfmMethod: 'bands' });
    expect(await allMembers(w.d, w.storeId, rfmSegmentId('potential_loyalist'))).toEqual([buyer]);

    const lead = await w.contact('lead');
    const view = (i: number) => ({ id: `pv${i}`, storeId: w.storeId, contactId: lead, occurredAt: now - 1000 + i, visitorId: 'v1', type: 'checkout_started' as const, cart: null });
    await publishDomainEvents(env, w.d, [0, 1, 2, 3, 4, 5].map(view), 'server', now);
    // checkout_started is worth 8, capped at 20 per week for the cart group: 20, below the hot threshold of 50.
    expect((await findContactScore(w.d, w.storeId, lead))?.leadScore).toBeCloseTo(20, 3);
    await publishDomainEvents(env, w.d, [{ ...paid, id: 'order:999:placed', type: 'order.placed', status: 'processing', orderId: 999, contactId: lead, occurredAt: now - 500 }], 'woocommerce', now);
    await publishDomainEvents(env, w.d, [{ ...paid, id: 'order:998:placed', type: 'order.placed', status: 'processing', orderId: 998, contactId: lead, occurredAt: now - 400 }], 'woocommerce', now);
    expect((await findContactScore(w.d, w.storeId, lead))?.leadScore).toBeCloseTo(60, 1);
    expect(await allMembers(w.d, w.storeId, HOT_LEAD)).toEqual([lead]);
    // A replayed delivery adds nothing: the agent knows the ids, so the score is not counted twice.
    await publishDomainEvents(env, w.d, [0, 1].map(view), 'server', now);
    expect((await findContactScore(w.d, w.storeId, lead))?.leadScore).toBeCloseTo(60, 1);
  });
});
