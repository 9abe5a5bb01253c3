import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { resolvePendingCustomerLinks } from '../../contacts/identity';
import { db } from '../../db/client';
import { findCartOfVisitor, findLatestCartOfContact } from '../../db/queries/carts';
import { listConsents } from '../../db/queries/consents';
import { findContactByEmail, findOrCreateContactByEmail } from '../../db/queries/contacts';
import { countEvents, listEventsOfContact, listEventsOfVisitor } from '../../db/queries/events';
import { listContactMessages } from '../../db/queries/messages';
import { findPendingConfirmation } from '../../db/queries/preferences';
import { upsertStore } from '../../db/queries/stores';
import { findVisitor } from '../../db/queries/visitors';
import { signIdentityToken } from '../../lib/identity-token';
import { processCollectMessage } from './collect-processor';
import type { CollectMessage } from '../messages';

const SECRET = 'whsec_processor_test_secret';
const T0 = 1_700_000_000_000;
const d = () => db(env.DB);

async function seedStore(id: string): Promise<string> {
  await upsertStore(d(), { id, name: id, webhookSecret: SECRET, siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
  return id;
}

function message(storeId: string, events: Record<string, unknown>[], over: Partial<CollectMessage> = {}): CollectMessage {
  return {
    kind: 'collect',
    storeId,
    trusted: false,
    visitorId: 'v_visitor_0001',
    receivedAt: T0 + 60_000,
    ipHash: 'a'.repeat(64),
    userAgent: 'Mozilla/5.0 (test)',
    events,
    ...over,
  };
}

const cart = (value: number, productId = 11) => ({
  items: [{ productId, quantity: 1, price: value, name: `Product ${productId}` }],
  value,
  currency: 'EUR',
});
const pageView = (id: string, ts = T0) => ({ id, type: 'page_view', ts, url: 'https://shop.example/' });
const cartUpdated = (id: string, ts: number, value: number) => ({ id, type: 'cart_updated', ts, cart: cart(value) });
const identify = (id: string, props: Record<string, unknown>, ts = T0 + 1000) => ({ id, type: 'identify', ts, ...props });

describe('processCollectMessage', () => {
  it('is idempotent: a replayed message stores nothing twice', async () => {
    const store = await seedStore('proc-replay');
    const m = message(store, [
      pageView('evt_replay_1'),
      identify('evt_replay_2', { email: 'replay@example.com', consent: { emailMarketing: true, textVersion: 'v1' } }),
    ]);
    await processCollectMessage(env, m);
    await processCollectMessage(env, m);
    expect(await countEvents(d(), store)).toBe(2);
    const contact = await findContactByEmail(d(), store, 'replay@example.com');
    // Double opt-in (issue 4): the browser's grant waits for confirmation; one request, one email.
    expect(await listConsents(d(), store, contact!.id)).toHaveLength(0);
    expect(await findPendingConfirmation(d(), store, contact!.id, 'email', T0)).toBeDefined();
    expect(await listContactMessages(d(), store, contact!.id)).toHaveLength(1);
  });

  it('keeps the newest cart snapshot whatever order the beacons arrive in', async () => {
    const store = await seedStore('proc-cart-order');
    await processCollectMessage(env, message(store, [cartUpdated('cart_new_01', T0 + 5000, 50)]));
    await processCollectMessage(env, message(store, [cartUpdated('cart_old_01', T0 + 1000, 20)]));
    expect((await findCartOfVisitor(d(), store, 'v_visitor_0001'))?.value).toBe(50);

    await processCollectMessage(env, message(store, [cartUpdated('cart_newer1', T0 + 9000, 75)]));
    const latest = await findCartOfVisitor(d(), store, 'v_visitor_0001');
    expect(latest).toMatchObject({ value: 75, snapshotAt: T0 + 9000, status: 'active' });
    // An unsigned beacon's names are its sender's free text: only ids, quantities and prices are kept.
    expect(latest?.items).toEqual(cart(75).items.map(({ name: _name, ...item }) => item));
  });

  it('takes the latest snapshot within one batch and marks an empty cart emptied', async () => {
    const store = await seedStore('proc-cart-batch');
    await processCollectMessage(
      env,
      message(store, [
        { id: 'cart_empty_1', type: 'cart_updated', ts: T0 + 2000, cart: { items: [], value: 0 } },
        cartUpdated('cart_first_1', T0 + 1000, 30),
      ]),
    );
    expect(await findCartOfVisitor(d(), store, 'v_visitor_0001')).toMatchObject({ status: 'emptied', value: 0 });
  });

  it('records behaviour but creates no contact and keeps no email when a browser identify lacks consent', async () => {
    const store = await seedStore('proc-no-consent');
    await processCollectMessage(
      env,
      message(store, [identify('evt_noconsent', { email: 'quiet@example.com', consent: { emailMarketing: false } })]),
    );
    expect(await findContactByEmail(d(), store, 'quiet@example.com')).toBeUndefined();
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBeNull();
    const [event] = await listEventsOfVisitor(d(), store, 'v_visitor_0001');
    expect(event?.type).toBe('identify');
    expect(JSON.stringify(event?.properties)).not.toContain('quiet@example.com');
  });

  it('does not attach a browser identify without consent to an existing contact either', async () => {
    const store = await seedStore('proc-no-hijack');
    const { contact } = await findOrCreateContactByEmail(d(), store, 'victim@example.com', T0);
    await processCollectMessage(env, message(store, [pageView('evt_hijack_1'), identify('evt_hijack_2', { email: 'victim@example.com' })]));
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBeNull();
    expect(await listEventsOfContact(d(), store, contact.id)).toHaveLength(0);
  });

  it('keeps a browser email given with consent as a claim: email only, visitor anonymous, one confirmation with proof', async () => {
    const store = await seedStore('proc-consent');
    await processCollectMessage(
      env,
      message(store, [
        identify('evt_consent_1', {
          email: ' Jane@Example.COM ',
          phone: '+33612345678',
          firstName: 'Jane',
          birthday: '1990-01-01',
          source: 'popup',
          consent: { emailMarketing: true, smsMarketing: false, textVersion: 'popup-2026-01' },
        }),
      ]),
    );
    const contact = await findContactByEmail(d(), store, 'jane@example.com');
    // A claim sets no name, phone or birthday, and does not make the visitor that contact.
    expect(contact).toMatchObject({ email: 'jane@example.com', phone: null, firstName: null, birthday: null });
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBeNull();
    // The unticked SMS box is not a withdrawal, and the email grant waits for its confirmation: no ledger row.
    expect(await listConsents(d(), store, contact!.id)).toEqual([]);
    expect(await findPendingConfirmation(d(), store, contact!.id, 'email', T0)).toMatchObject({
      channel: 'email',
      purpose: 'marketing',
      source: 'popup',
      textVersion: 'popup-2026-01',
      requestedAt: T0 + 1000,
      proofIpHash: 'a'.repeat(64),
      proofUserAgent: 'Mozilla/5.0 (test)',
    });
  });

  it('lets a signed batch identify without the consent flag and set the birthday, recording no consent', async () => {
    const store = await seedStore('proc-trusted');
    await processCollectMessage(
      env,
      message(store, [identify('evt_trusted_1', { email: 'buyer@example.com', firstName: 'Bo', birthday: '1985-06-15', source: 'checkout' })], {
        trusted: true,
      }),
    );
    const contact = await findContactByEmail(d(), store, 'buyer@example.com');
    expect(contact).toMatchObject({ firstName: 'Bo', birthday: '1985-06-15' });
    expect(await listConsents(d(), store, contact!.id)).toHaveLength(0);
    const [event] = await listEventsOfContact(d(), store, contact!.id);
    expect(event?.source).toBe('server');
  });

  it('merges the anonymous history and cart onto the contact who identifies later', async () => {
    const store = await seedStore('proc-merge');
    await processCollectMessage(env, message(store, [pageView('evt_anon_01'), cartUpdated('evt_anon_02', T0 + 500, 42)]));
    expect((await findCartOfVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBeNull();

    await processCollectMessage(
      env,
      message(store, [identify('evt_merge_01', { email: 'merge@example.com', source: 'checkout' }, T0 + 2000)], { trusted: true }),
    );
    const contact = await findContactByEmail(d(), store, 'merge@example.com');
    const history = await listEventsOfContact(d(), store, contact!.id);
    expect(history.map((e) => e.type).sort()).toEqual(['cart_updated', 'identify', 'page_view']);
    expect((await findLatestCartOfContact(d(), store, contact!.id))?.value).toBe(42);

    await processCollectMessage(env, message(store, [pageView('evt_after_01', T0 + 3000)]));
    expect(await listEventsOfContact(d(), store, contact!.id)).toHaveLength(4);
  });

  it('gives a new identity only what happened after it on a shared device', async () => {
    const store = await seedStore('proc-shared');
    const consent = { emailMarketing: true };
    const signed = { trusted: true };
    await processCollectMessage(env, message(store, [identify('evt_first_01', { email: 'first@example.com', consent }, T0)], signed));
    await processCollectMessage(
      env,
      message(store, [pageView('evt_shared_1', T0 + 1000), identify('evt_second_1', { email: 'second@example.com', consent }, T0 + 2000), pageView('evt_shared_2', T0 + 3000)], signed),
    );
    const first = await findContactByEmail(d(), store, 'first@example.com');
    const second = await findContactByEmail(d(), store, 'second@example.com');
    expect((await listEventsOfContact(d(), store, first!.id)).map((e) => e.eventKey).sort()).toEqual([
      'v_visitor_0001:evt_first_01',
      'v_visitor_0001:evt_shared_1',
    ]);
    expect(await listEventsOfContact(d(), store, second!.id)).toHaveLength(2);
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBe(second!.id);
  });

  it('links the visitor through a valid identity token, and ignores forged or expired ones', async () => {
    const store = await seedStore('proc-token');
    const { contact } = await findOrCreateContactByEmail(d(), store, 'member@example.com', T0, { wooCustomerId: 77 });
    const now = Math.floor((T0 + 60_000) / 1000);
    const forged = await signIdentityToken('wrong-secret', 77, now + 600);
    const expired = await signIdentityToken(SECRET, 77, now - 1);
    await processCollectMessage(env, message(store, [identify('evt_forged_1', { identityToken: forged }), identify('evt_expire_1', { identityToken: expired })]));
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBeNull();

    const valid = await signIdentityToken(SECRET, 77, now + 600);
    await processCollectMessage(env, message(store, [identify('evt_valid_01', { identityToken: valid, source: 'account' })]));
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBe(contact.id);
    const stored = await listEventsOfContact(d(), store, contact.id);
    expect(JSON.stringify(stored)).not.toContain(valid);
    expect(stored.find((e) => e.eventKey.endsWith('evt_valid_01'))?.properties).toMatchObject({ wooCustomerId: 77 });
  });

  it('finishes a token link once the customer arrives as a contact', async () => {
    const store = await seedStore('proc-token-pending');
    const now = Math.floor((T0 + 60_000) / 1000);
    const token = await signIdentityToken(SECRET, 88, now + 600);
    await processCollectMessage(env, message(store, [pageView('evt_pend_01'), identify('evt_pend_02', { identityToken: token })]));
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBeNull();

    const { contact } = await findOrCreateContactByEmail(d(), store, 'late@example.com', T0, { wooCustomerId: 88 });
    expect(await resolvePendingCustomerLinks(d(), store, 88, contact.id)).toBe(1);
    expect((await findVisitor(d(), store, 'v_visitor_0001'))?.contactId).toBe(contact.id);
    expect(await listEventsOfContact(d(), store, contact.id)).toHaveLength(2);
  });

  it('ignores a message for a store that no longer exists', async () => {
    await processCollectMessage(env, message('proc-gone', [pageView('evt_gone_001')]));
    expect(await countEvents(d(), 'proc-gone')).toBe(0);
  });
});
