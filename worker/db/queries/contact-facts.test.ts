import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedContact, seedPostmarkStore } from '../../test/postmark-fixtures';
import { db } from '../client';
import { orderItems, orders } from '../schema';
import { readContactFactsRow } from './contact-facts';
import { appendConsents, currentConsents, type NewConsent } from './consents';
import { listContactProperties, listContactTags, setContactProperty, setContactTag } from './contact-tags';
import { findGuardrailSettings, smsWindowOf, updateGuardrailSettings } from './guardrail-settings';
import { paidOrdersOfContact, purchasedProductIds } from './order-history';

const S = 'facts-row';

async function order(contactId: string, id: number, o: { paidAt?: number | null; status?: string; cancelledAt?: number; deletedAt?: number; products?: number[]; total?: number }) {
  const d = db(env.DB);
  await d.insert(orders).values({
    storeId: S, id, contactId, status: o.status ?? 'processing', total: o.total ?? 10 * id, refundedTotal: id % 2 ? 1.5 : 0, couponCodes: [], attribution: {},
    createdAt: 1000 - id, paidAt: o.paidAt === undefined ? 2000 : o.paidAt, cancelledAt: o.cancelledAt ?? null, deletedAt: o.deletedAt ?? null,
    sourceModifiedAt: 1, updatedAt: 1,
  });
  for (const [line, productId] of (o.products ?? []).entries()) {
    await d.insert(orderItems).values({ storeId: S, orderId: id, lineId: line, productId, name: `p${productId}`, quantity: 1, price: 5, total: 5 });
  }
}

/** What the six separate reads of the agent's wake answered before they became one statement. */
async function separately(contactId: string) {
  const d = db(env.DB);
  const { email, sms } = await currentConsents(d, S, contactId, { email: ['email', 'marketing'], sms: ['sms', 'marketing'] });
  const paid = (await paidOrdersOfContact(d, S, contactId)).map(({ id, total, refundedTotal, createdAt, paidAt }) => ({ id, total, refundedTotal, createdAt, paidAt }));
  return {
    emailGranted: email?.granted,
    smsGranted: sms?.granted,
    tags: await listContactTags(d, S, contactId),
    properties: await listContactProperties(d, S, contactId),
    paid,
    purchased: await purchasedProductIds(d, S, contactId),
    smsWindow: smsWindowOf(await findGuardrailSettings(d, S)),
  };
}

describe('readContactFactsRow', () => {
  it('answers in one statement what the separate reads of consents, tags, properties, orders, products and guardrails answer', async () => {
    await seedPostmarkStore(S);
    const d = db(env.DB);
    // A store that never set its guardrails has the default window (checked on the bare contact below), this one its own.
    const bareWindow = smsWindowOf(await findGuardrailSettings(d, S));
    await updateGuardrailSettings(d, S, { smsOpens: '09:30', smsCloses: '19:00', smsDays: [1, 2, 3, 4, 5] }, 1);
    const jo = await seedContact(S, 'jo@example.net');
    const other = await seedContact(S, 'other@example.net');
    const consent = (contactId: string, channel: NewConsent['channel'], granted: boolean, occurredAt: number): NewConsent => ({
      storeId: S, contactId, channel, purpose: 'marketing', granted, source: 'checkout', textVersion: null, occurredAt,
    });
    // Email granted, withdrawn, granted again; SMS granted then withdrawn; the other contact's rows never count.
    await appendConsents(d, [consent(jo, 'email', true, 10), consent(jo, 'email', false, 20), consent(jo, 'email', true, 30), consent(jo, 'sms', true, 10), consent(jo, 'sms', false, 11)]);
    await appendConsents(d, [consent(other, 'sms', true, 50)]);
    for (const tag of ['vip', 'Été', 'b-tag']) await setContactTag(d, S, jo, tag, true, 1);
    await setContactTag(d, S, other, 'not-jo', true, 1);
    for (const [key, value] of [['tier', 'gold'], ['visits', 3], ['opted', true], ['nothing', null]] as const) await setContactProperty(d, S, jo, key, value, 1);
    // Paid and standing (two, with products), paid but refunded, cancelled, deleted, not paid; another contact's order.
    await order(jo, 1, { products: [30, 4] });
    await order(jo, 2, { products: [4, 7], total: 19.99 });
    await order(jo, 3, { status: 'refunded', products: [99] });
    await order(jo, 4, { cancelledAt: 5, products: [98] });
    await order(jo, 5, { deletedAt: 5, products: [97] });
    await order(jo, 6, { paidAt: null, products: [96] });
    await order(other, 7, { products: [95] });

    const got = await readContactFactsRow(d, S, jo);
    expect(got).toEqual(await separately(jo));
    expect(got).toEqual({
      emailGranted: true,
      smsGranted: false,
      tags: ['b-tag', 'vip', 'Été'],
      properties: { tier: 'gold', visits: 3, opted: true, nothing: null },
      // Oldest first; the refunded one (id 3) no longer counts.
      paid: [
        { id: 2, total: 19.99, refundedTotal: 0, createdAt: 998, paidAt: 2000 },
        { id: 1, total: 10, refundedTotal: 1.5, createdAt: 999, paidAt: 2000 },
      ],
      // The refunded order's product still counts as bought, as purchasedProductIds has it.
      purchased: [4, 7, 30, 99],
      smsWindow: { opens: '09:30', closes: '19:00', days: [1, 2, 3, 4, 5] },
    });
    // A contact with nothing, and one that does not exist.
    const bare = await seedContact(S, 'bare@example.net');
    expect(await readContactFactsRow(d, S, bare)).toEqual(await separately(bare));
    const empty = { emailGranted: undefined, smsGranted: undefined, tags: [], properties: {}, paid: [], purchased: [] };
    expect(await readContactFactsRow(d, S, bare)).toEqual({ ...empty, smsWindow: { opens: '09:30', closes: '19:00', days: [1, 2, 3, 4, 5] } });
    expect(await readContactFactsRow(d, S, 'no-such-contact')).toEqual({ ...empty, smsWindow: bareWindow });
    // Another store's contact, its store without guardrail settings: the default window.
    await seedPostmarkStore('facts-row-bare');
    const elsewhere = await seedContact('facts-row-bare', 'elsewhere@example.net');
    expect((await readContactFactsRow(d, 'facts-row-bare', elsewhere)).smsWindow).toEqual(bareWindow);
    expect(bareWindow).toEqual({ opens: '08:00', closes: '21:00', days: [1, 2, 3, 4, 5, 6, 7] });
  });
});
