import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../../contacts/domain-events';
import { db } from '../../db/client';
import { findCartOfVisitor } from '../../db/queries/carts';
import { appendConsents } from '../../db/queries/consents';
import { findContactByEmail, findOrCreateContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { upsertProductVersion } from '../../db/queries/products';
import { upsertStore } from '../../db/queries/stores';
import { findVisitor } from '../../db/queries/visitors';
import { middayZone } from '../../test/clock';
import type { CollectMessage } from '../messages';
import { processCollectMessage } from './collect-processor';

const HOUR = 3_600_000;
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const PHISH = 'FREE GIFT: claim at https://evil.example/phish';

async function seed(store: string, flows: string[] = []) {
  await upsertStore(d(), {
    id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_claims_test_0001', siteKey: `pk_${store}`,
    timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1,
  });
  for (const flow of flows) {
    const res = await SELF.fetch(`https://ns.test/api/flows/${flow}?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
    expect(res.status).toBe(200);
  }
}

function browser(store: string, visitorId: string, events: Record<string, unknown>[], over: Partial<CollectMessage> = {}): CollectMessage {
  return { kind: 'collect', storeId: store, trusted: false, visitorId, receivedAt: Date.now(), ipHash: 'c'.repeat(64), userAgent: 'Attacker/1', events, ...over };
}

/** The victim: a customer with a name, a phone, email and SMS consent, her own device already linked. */
async function victim(store: string) {
  const { contact } = await findOrCreateContactByEmail(d(), store, 'victoria@example.com', Date.now() - 30 * 24 * HOUR, {
    firstName: 'Victoria', lastName: 'Vance', phone: '+33600000001',
  });
  const grant = { storeId: store, contactId: contact.id, purpose: 'marketing' as const, granted: true, source: 'checkout' as const, occurredAt: Date.now() - 24 * HOUR };
  await appendConsents(d(), [{ ...grant, channel: 'email' }, { ...grant, channel: 'sms' }]);
  return contact;
}

describe('a browser email is a claim, not an identity (issue 10, item 1)', () => {
  it('the profile takeover of the report: the victim receives nothing, her export has none of it, her profile is untouched', async () => {
    const store = 'claim-takeover';
    await seed(store, ['abandoned-cart', 'welcome']);
    const her = await victim(store);
    const now = Date.now();
    const attack = browser(store, 'v_attacker_0001', [
      { id: 'atk_view_0001', type: 'page_view', ts: now - 3000, url: 'https://shop.example/attacker-was-here' },
      { id: 'atk_ident_001', type: 'identify', ts: now - 2000, email: 'Victoria@Example.com', firstName: 'Mallory', phone: '+33699999999', consent: { emailMarketing: true, smsMarketing: true } },
      { id: 'atk_cart_0001', type: 'cart_updated', ts: now - 1000, cart: { items: [{ productId: 10, quantity: 1, price: 0, name: PHISH, url: 'https://evil.example/phish' }], value: 0, currency: 'EUR' } },
    ]);
    await processCollectMessage(env, attack);
    await processCollectMessage(env, attack);
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, her.id));
    await agent.runDue(now + 26 * HOUR);

    expect(await listContactMessages(d(), store, her.id)).toEqual([]);
    expect(await agent.listEvents()).toEqual([]);
    expect((await findVisitor(d(), store, 'v_attacker_0001'))?.contactId).toBeNull();
    expect(await findContactByEmail(d(), store, 'victoria@example.com')).toMatchObject({ firstName: 'Victoria', lastName: 'Vance', phone: '+33600000001' });

    const res = await SELF.fetch(`https://ns.test/api/contacts/${her.id}/export?store=${store}`, { headers: auth });
    const exported = (await res.json()) as { data: Record<string, unknown[]> };
    // Only the record that someone claimed her address (for her to see); none of what that visitor did.
    for (const [table, rows] of Object.entries(exported.data)) {
      if (table === 'identity_claims') continue;
      expect(JSON.stringify(rows), table).not.toMatch(/atk_|attacker|evil\.example/);
    }
    expect(exported.data.identity_claims).toMatchObject([{ visitorId: 'v_attacker_0001', provenAt: null }]);
    // The attacker's own (anonymous) cart keeps ids and prices, never the free-text name or link.
    const cart = await findCartOfVisitor(d(), store, 'v_attacker_0001');
    expect(cart?.contactId).toBeNull();
    expect(JSON.stringify(cart?.items)).not.toContain('evil.example');
  });

  it('a claim on a new address asks its owner once; her confirmation proves it and brings the visitor in', async () => {
    const store = 'claim-proof';
    await seed(store);
    const now = Date.now();
    const signup = browser(store, 'v_signup_0001', [
      { id: 'su_view_0001', type: 'page_view', ts: now - 2000, url: 'https://shop.example/a' },
      { id: 'su_ident_001', type: 'identify', ts: now - 1000, email: 'newbie@example.com', firstName: 'Nat', consent: { emailMarketing: true } },
    ]);
    await processCollectMessage(env, signup);
    const contact = (await findContactByEmail(d(), store, 'newbie@example.com'))!;
    expect(contact.firstName).toBeNull();
    expect((await findVisitor(d(), store, 'v_signup_0001'))?.contactId).toBeNull();
    const [mail, ...more] = await listContactMessages(d(), store, contact.id);
    expect(more).toEqual([]);
    expect(mail?.subject).toBe('Confirmez votre inscription à Shop');

    const link = /http:\/\/localhost:8787\/p\/[A-Za-z0-9_.-]+/.exec(mail!.text)?.[0] ?? '';
    const html = await (await SELF.fetch(link)).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const post = await SELF.fetch(link, { method: 'POST', body: new URLSearchParams({ intent: 'confirm', nonce }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(post.status).toBe(200);
    expect((await findVisitor(d(), store, 'v_signup_0001'))?.contactId).toBe(contact.id);
  });
});

describe('text in messages comes from the catalogue or a signed source (issue 10, item 1)', () => {
  it("a known shopper's cart reminder names the catalogue's product, never the browser's item text", async () => {
    const store = 'claim-catalogue';
    await seed(store, ['abandoned-cart']);
    await upsertProductVersion(d(), { storeId: store, id: 10, type: 'simple', name: 'Bougie parfumée', price: 19.5, categories: [], sourceModifiedAt: 1, updatedAt: 1 });
    const now = Date.now() - 2 * HOUR;
    const consent = { emailMarketing: true };
    await processCollectMessage(env, browser(store, 'v_known_0001', [{ id: 'cat_ident_01', type: 'identify', ts: now, email: 'known@example.com', source: 'checkout', consent }], { trusted: true, receivedAt: now }));
    const contact = (await findContactByEmail(d(), store, 'known@example.com'))!;
    const cart = { items: [{ productId: 10, quantity: 1, price: 19.5, name: PHISH }], value: 19.5, currency: 'EUR' };
    await processCollectMessage(env, browser(store, 'v_known_0001', [{ id: 'cat_cart_001', type: 'cart_updated', ts: now + 1000, cart }], { receivedAt: now + 1000 }));
    await env.CONTACT_AGENT.getByName(contactAgentName(store, contact.id)).runDue(Date.now() + 2 * HOUR);
    const [reminder] = await listContactMessages(d(), store, contact.id);
    expect(reminder?.stepId).toBe('email_1');
    expect(reminder?.text).toContain('Bougie parfumée');
    expect(`${reminder?.text} ${reminder?.html}`).not.toMatch(/FREE GIFT|evil\.example/);
  });
});

describe('one confirmation per address (issue 10, item 2)', () => {
  it('20 concurrent identify beacons for one new address send exactly one confirmation email', async () => {
    const store = 'claim-flood';
    await seed(store);
    const now = Date.now();
    const beacons = Array.from({ length: 20 }, (_, i) =>
      browser(store, `v_flood_${String(i).padStart(4, '0')}`, [
        { id: `flood_ident_${String(i).padStart(3, '0')}`, type: 'identify', ts: now, email: 'flooded@example.com', consent: { emailMarketing: true } },
      ], { ipHash: `${i}`.padStart(64, 'f') }),
    );
    await Promise.all(beacons.map((b) => processCollectMessage(env, b)));
    const contact = (await findContactByEmail(d(), store, 'flooded@example.com'))!;
    expect(await listContactMessages(d(), store, contact.id)).toHaveLength(1);
    const { results } = await env.DB.prepare("SELECT count(*) AS n FROM consent_confirmations WHERE store_id = ? AND status = 'pending'").bind(store).all();
    expect(results[0]).toEqual({ n: 1 });
  });

  it('resends at most once a day per address and caps confirmations per IP', async () => {
    const store = 'claim-throttle';
    await seed(store);
    const now = Date.now();
    const ask = (email: string, id: string, at: number) =>
      processCollectMessage(env, browser(store, `v_${id}`, [{ id, type: 'identify', ts: at, email, consent: { emailMarketing: true } }], { receivedAt: at }));
    await ask('again@example.com', 'thr_first_001', now);
    // Expire the pending one, as the daily job does after its days: a new sign-up the same day still sends nothing.
    await env.DB.prepare("UPDATE consent_confirmations SET status = 'expired' WHERE store_id = ?").bind(store).run();
    await ask('again@example.com', 'thr_again_001', now + 2 * HOUR);
    const again = (await findContactByEmail(d(), store, 'again@example.com'))!;
    expect(await listContactMessages(d(), store, again.id)).toHaveLength(1);
    await ask('again@example.com', 'thr_later_001', now + 25 * HOUR);
    expect(await listContactMessages(d(), store, again.id)).toHaveLength(2);

    for (let i = 0; i < 8; i++) await ask(`ip${i}@example.com`, `thr_ip_${String(i).padStart(5, '0')}`, now + 30 * HOUR);
    const { results } = await env.DB.prepare('SELECT count(*) AS n FROM consent_confirmations WHERE store_id = ? AND requested_at = ?').bind(store, now + 30 * HOUR).all();
    expect(results[0]).toEqual({ n: 5 });
  });
});
