import { beforeAll, describe, expect, it } from 'vitest';
import { appendConsents } from '../../db/queries/consents';
import { writeLeadScore, writeRfmScores } from '../../db/queries/contact-scores';
import { setContactProperty, setContactTag } from '../../db/queries/contact-tags';
import { setContactGeoTimezone } from '../../db/queries/contacts';
import { savePreferenceAnswer } from '../../db/queries/preferences';
import { segmentQuery, type Condition, type RuleGroup } from '../../db/queries/segment-sql';
import { SegmentRules } from './rules';
import { DAY, segmentWorld, type SegmentWorld } from './test/world';

const NOW = Date.UTC(2026, 10, 15, 12);
let w: SegmentWorld;
const ids = new Map<string, string>();

async function matching(match: RuleGroup): Promise<string[]> {
  const rules = SegmentRules.parse({ version: 1, match });
  const rows = await w.d.all<{ id: string }>(segmentQuery(w.storeId, rules, { now: NOW, halfLifeDays: 30 }));
  return rows.map((r) => ids.get(r.id) ?? r.id).sort();
}
const only = (c: Condition) => matching({ all: [c] });

beforeAll(async () => {
  w = await segmentWorld('seg-rules');
  const other = await segmentWorld('seg-rules-other');
  for (const name of ['ann', 'bob', 'cat', 'dan', 'eve']) ids.set(await w.contact(name), name);
  const id = (name: string) => [...ids].find(([, n]) => n === name)![0];
  const [ann, bob, cat, dan, eve] = ['ann', 'bob', 'cat', 'dan', 'eve'].map(id) as [string, string, string, string, string];
  await w.product(7, [1]);
  await w.product(8, [3]);
  // Orders: ann two recent (one of product 7), bob one recent and one old, cat one paid and one unpaid, dan one refunded in part.
  await w.order(ann, NOW - 5 * DAY, 60, [7]);
  await w.order(ann, NOW - 10 * DAY, 50);
  await w.order(bob, NOW - 20 * DAY, 30, [8]);
  await w.order(bob, NOW - 200 * DAY, 300);
  await w.order(cat, NOW - 100 * DAY, 20);
  await w.order(cat, NOW - 3 * DAY, 500, [7], { paid: false });
  await w.order(dan, NOW - 400 * DAY, 200, [], { refunded: 150 });
  // Someone in another store with the same history never shows up.
  await other.order(await other.contact('ann'), NOW - 5 * DAY, 999, [7]);
  await w.event(ann, 'message.opened', NOW - 2 * DAY, {}, 'server');
  await w.event(bob, 'message.opened', NOW - 10 * DAY, {}, 'server');
  await w.event(bob, 'message.clicked', NOW - 1 * DAY, {}, 'server');
  await w.event(cat, 'page_view', NOW - 3 * DAY, { url: 'https://shop.test/' });
  await w.event(dan, 'product_view', NOW - 4 * DAY, { productId: 7, categoryIds: [1] });
  await w.event(eve, 'category_view', NOW - 4 * DAY, { categoryId: 3 });
  await w.event(cat, 'product_view', NOW - 40 * DAY, { productId: 7 });
  await setContactProperty(w.d, w.storeId, ann, 'shoe_size', 42, NOW);
  await setContactProperty(w.d, w.storeId, bob, 'shoe_size', 38, NOW);
  await setContactProperty(w.d, w.storeId, cat, 'skin', 'dry', NOW);
  await setContactProperty(w.d, w.storeId, dan, 'vegan', true, NOW);
  await setContactTag(w.d, w.storeId, eve, 'vip', true, NOW);
  await savePreferenceAnswer(w.d, { storeId: w.storeId, contactId: eve, key: 'skin', value: 'oily', sendId: null, answeredAt: NOW });
  const consent = (contactId: string, granted: boolean, at: number) =>
    ({ storeId: w.storeId, contactId, channel: 'email', purpose: 'marketing', granted, source: 'checkout', occurredAt: at }) as const;
  await appendConsents(w.d, [consent(ann, true, NOW - 9 * DAY), consent(bob, true, NOW - 9 * DAY), consent(bob, false, NOW - 2 * DAY)]);
  await appendConsents(w.d, [{ ...consent(cat, true, NOW), channel: 'sms' }]);
  await setContactGeoTimezone(w.d, w.storeId, cat, 'Europe/Paris', NOW);
  await writeRfmScores(w.d, w.storeId, [{ contactId: ann, r: 5, f: 2, m: 2, segment: 'new_customers', method: 'bands' }, { contactId: bob, r: 1, f: 4, m: 4, segment: 'at_risk', method: 'bands' }], 0, NOW);
  await writeLeadScore(w.d, w.storeId, ann, { score: 100, at: NOW - 30 * DAY, caps: {} });
  await writeLeadScore(w.d, w.storeId, bob, { score: 100, at: NOW - 60 * DAY, caps: {} });
  await writeLeadScore(w.d, w.storeId, eve, { score: -20, at: NOW - DAY, caps: {} });
});

describe('segment rules compiled to one store-scoped query, on real D1 rows', () => {
  it('orders: count and net spend of standing paid orders, optionally within a window', async () => {
    expect(await only({ kind: 'orders', metric: 'count', op: 'gte', value: 2 })).toEqual(['ann', 'bob']);
    expect(await only({ kind: 'orders', metric: 'count', op: 'gte', value: 2, withinDays: 30 })).toEqual(['ann']);
    expect(await only({ kind: 'orders', metric: 'count', op: 'lte', value: 0 })).toEqual(['eve']);
    expect(await only({ kind: 'orders', metric: 'spend', op: 'gte', value: 100 })).toEqual(['ann', 'bob']);
    expect(await only({ kind: 'orders', metric: 'spend', op: 'lte', value: 50 })).toEqual(['cat', 'dan', 'eve']);
  });
  it('first and last order dates', async () => {
    expect(await only({ kind: 'order_date', which: 'first', op: 'within', days: 30 })).toEqual(['ann']);
    expect(await only({ kind: 'order_date', which: 'last', op: 'before', days: 90 })).toEqual(['cat', 'dan']);
  });
  it('products and categories bought, within a window', async () => {
    expect(await only({ kind: 'bought', productId: 7 })).toEqual(['ann']);
    expect(await only({ kind: 'bought', categoryId: 3 })).toEqual(['bob']);
    expect(await only({ kind: 'bought', categoryId: 3, withinDays: 10 })).toEqual([]);
  });
  it('engagement: opened, clicked, visited within N days', async () => {
    expect(await only({ kind: 'engagement', action: 'opened', withinDays: 7 })).toEqual(['ann']);
    expect(await only({ kind: 'engagement', action: 'opened', withinDays: 30 })).toEqual(['ann', 'bob']);
    expect(await only({ kind: 'engagement', action: 'clicked', withinDays: 7 })).toEqual(['bob']);
    expect(await only({ kind: 'engagement', action: 'visited', withinDays: 7 })).toEqual(['cat', 'dan', 'eve']);
  });
  it('viewed a product or a category', async () => {
    expect(await only({ kind: 'viewed', productId: 7, withinDays: 7 })).toEqual(['dan']);
    expect(await only({ kind: 'viewed', productId: 7, withinDays: 60 })).toEqual(['cat', 'dan']);
    expect(await only({ kind: 'viewed', categoryId: 3, withinDays: 7 })).toEqual(['eve']);
    expect(await only({ kind: 'viewed', categoryId: 1, withinDays: 7 })).toEqual(['dan']);
  });
  it('zero-party properties: equal, not equal, at least, exists', async () => {
    expect(await only({ kind: 'property', key: 'shoe_size', op: 'gte', value: 40 })).toEqual(['ann']);
    expect(await only({ kind: 'property', key: 'skin', op: 'eq', value: 'dry' })).toEqual(['cat']);
    expect(await only({ kind: 'property', key: 'skin', op: 'neq', value: 'dry' })).toEqual(['ann', 'bob', 'dan', 'eve']);
    // eve answered a one-click question in an email: her answer is zero-party data too.
    expect(await only({ kind: 'property', key: 'skin', op: 'eq', value: 'oily' })).toEqual(['eve']);
    expect(await only({ kind: 'property', key: 'skin', op: 'exists' })).toEqual(['cat', 'eve']);
    expect(await only({ kind: 'property', key: 'vegan', op: 'eq', value: true })).toEqual(['dan']);
    expect(await only({ kind: 'property', key: 'shoe_size', op: 'exists' })).toEqual(['ann', 'bob']);
  });
  it('tags, consent in force per channel, time zone', async () => {
    expect(await only({ kind: 'tag', tag: 'vip' })).toEqual(['eve']);
    expect(await only({ kind: 'consent', channel: 'email', granted: true })).toEqual(['ann']);
    expect(await only({ kind: 'consent', channel: 'email', granted: false })).toEqual(['bob', 'cat', 'dan', 'eve']);
    expect(await only({ kind: 'consent', channel: 'sms', granted: true })).toEqual(['cat']);
    expect(await only({ kind: 'timezone', zones: ['Europe/Paris', 'Europe/Brussels'] })).toEqual(['cat']);
  });
  it('RFM segment and the decayed lead score (half-life 30 days)', async () => {
    expect(await only({ kind: 'rfm', segments: ['at_risk', 'cant_lose'] })).toEqual(['bob']);
    // ann: 100 thirty days ago = 50 now; bob: 100 sixty days ago = 25 now.
    expect(await only({ kind: 'lead_score', op: 'gte', value: 49.9 })).toEqual(['ann']);
    expect(await only({ kind: 'lead_score', op: 'gte', value: 24.9 })).toEqual(['ann', 'bob']);
    expect(await only({ kind: 'lead_score', op: 'lte', value: 0 })).toEqual(['cat', 'dan', 'eve']);
  });
  it('AND, OR and NOT groups nest', async () => {
    const recentBuyer: Condition = { kind: 'orders', metric: 'count', op: 'gte', value: 1, withinDays: 30 };
    const vip: Condition = { kind: 'tag', tag: 'vip' };
    expect(await matching({ any: [recentBuyer, vip] })).toEqual(['ann', 'bob', 'eve']);
    expect(await matching({ all: [recentBuyer, { none: [{ kind: 'bought', productId: 7 }] }] })).toEqual(['bob']);
    expect(await matching({ none: [recentBuyer, vip] })).toEqual(['cat', 'dan']);
    expect(await matching({ all: [] })).toEqual(['ann', 'bob', 'cat', 'dan', 'eve']);
  });
  it('narrowed to one contact, the same query answers for that contact only', async () => {
    const ann = [...ids].find(([, n]) => n === 'ann')![0];
    const rules = SegmentRules.parse({ version: 1, match: { any: [{ kind: 'tag', tag: 'vip' }, { kind: 'bought', productId: 7 }] } });
    const rows = await w.d.all<{ id: string }>(segmentQuery(w.storeId, rules, { now: NOW, halfLifeDays: 30 }, ann));
    expect(rows.map((r) => r.id)).toEqual([ann]);
  });
});

describe('the rule language rejects what it cannot compile', () => {
  it.each([
    ['another version', { version: 2, match: { all: [] } }],
    ['an unknown condition', { version: 1, match: { all: [{ kind: 'country', in: ['FR'] }] } }],
    ['a bought condition naming nothing', { version: 1, match: { all: [{ kind: 'bought' }] } }],
    ['an unknown RFM segment', { version: 1, match: { all: [{ kind: 'rfm', segments: ['whales'] }] } }],
    ['too many conditions', { version: 1, match: { any: Array.from({ length: 21 }, () => ({ kind: 'tag', tag: 'x' })) } }],
    ['groups nested five deep', { version: 1, match: { all: [{ any: [{ all: [{ none: [{ all: [] }] }] }] }] } }],
    ['a property comparison without a value', { version: 1, match: { all: [{ kind: 'property', key: 'k', op: 'eq' }] } }],
  ])('%s', (_, rules) => {
    expect(SegmentRules.safeParse(rules).success).toBe(false);
  });
});
