import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactSegmentIds } from '../../db/queries/segment-members';
import { findContactByEmail } from '../../db/queries/contacts';
import { applyWooDelivery } from '../../ingest/woo/woo-processor';
import { WooCustomer, WooOrder } from '../../ingest/woo/woo-schemas';
import { conditionOf, formOfSegment } from '../../routes/dashboard/segment-form';
import { SegmentRules } from './rules';
import { createSegment } from './segment-admin';
import { segmentWorld } from './test/world';

const AT = Date.UTC(2026, 10, 20, 10);
const gmt = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const address = (country: string | null) => ({ first_name: 'Léa', last_name: 'Martin', email: null, phone: null, country });

function order(id: number, email: string, billing: string | null, shipping: string | null) {
  return WooOrder.parse({
    id, status: 'processing', total: '40.00', customer_id: 0, currency: 'EUR',
    billing: { ...address(billing), email }, shipping: address(shipping),
    date_created_gmt: gmt(AT), date_modified_gmt: gmt(AT + id), date_paid_gmt: gmt(AT), line_items: [],
  });
}

describe('location condition (country of the order address)', () => {
  it('reads ISO codes in any case, and refuses what is not a two-letter code', () => {
    const rules = SegmentRules.parse({ version: 1, match: { all: [{ kind: 'location', country: ['fr', ' be '] }] } });
    expect(rules.match).toEqual({ all: [{ kind: 'location', country: ['FR', 'BE'] }] });
    for (const country of [['FRA'], [], ['F1']]) {
      expect(SegmentRules.safeParse({ version: 1, match: { all: [{ kind: 'location', country }] } }).success).toBe(false);
    }
  });

  it('places contacts by the billing country of their WooCommerce orders and records, shipping when billing has none', async () => {
    const w = await segmentWorld('seg-loc');
    const ctx = { env, d: w.d, storeId: w.storeId, deliveryId: 'd1', at: AT };
    await applyWooDelivery(ctx, { kind: 'order', payload: order(1, 'lea@example.test', 'fr', 'DE'), restored: false });
    await applyWooDelivery(ctx, { kind: 'order', payload: order(2, 'bram@example.test', null, 'BE'), restored: false });
    await applyWooDelivery(ctx, { kind: 'order', payload: order(3, 'hans@example.test', 'DE', null), restored: false });
    const customer = WooCustomer.parse({ id: 9, email: 'nina@example.test', billing: address('ch'), shipping: address(null), date_created_gmt: gmt(AT), date_modified_gmt: gmt(AT) });
    await applyWooDelivery(ctx, { kind: 'customer', payload: customer });
    const id = async (email: string) => (await findContactByEmail(w.d, w.storeId, email))!;
    expect((await id('lea@example.test')).country).toBe('FR');
    expect((await id('nina@example.test')).country).toBe('CH');

    const frBe = await createSegment(w.d, w.storeId, { name: { fr: 'France et Belgique', en: 'France and Belgium' }, rules: SegmentRules.parse({ version: 1, match: { any: [{ kind: 'location', country: ['FR', 'BE'] }] } }) }, AT);
    expect(frBe.count).toBe(2);
    for (const [email, member] of [['lea@example.test', true], ['bram@example.test', true], ['hans@example.test', false], ['nina@example.test', false]] as const) {
      expect((await contactSegmentIds(w.d, w.storeId, (await id(email)).id)).has(frBe.id)).toBe(member);
    }
    // Hans's next order ships from Belgium but is billed to Germany: billing wins, he stays out.
    await applyWooDelivery(ctx, { kind: 'order', payload: order(4, 'hans@example.test', 'DE', 'BE'), restored: false });
    expect((await id('hans@example.test')).country).toBe('DE');
    // An order billed to Belgium moves Hans in at once (the order's events re-evaluate his memberships).
    await applyWooDelivery(ctx, { kind: 'order', payload: order(5, 'hans@example.test', 'BE', null), restored: false });
    expect((await contactSegmentIds(w.d, w.storeId, (await id('hans@example.test')).id)).has(frBe.id)).toBe(true);
  });

  it('is a builder row: a comma-separated list of codes, read back the same way', () => {
    expect(conditionOf({ kind: 'location', values: { country: 'fr, be' } })).toEqual({ kind: 'location', country: ['fr', 'be'] });
    expect(formOfSegment({ fr: 'a', en: 'a' }, { all: [{ kind: 'location', country: ['FR', 'BE'] }] })?.rows).toEqual([{ kind: 'location', values: { country: 'FR, BE' } }]);
  });
});
