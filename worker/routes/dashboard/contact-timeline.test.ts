import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { recordMessageClick } from '../../db/queries/message-clicks';
import { storeProviderEvent } from '../../db/queries/provider-events';
import { upsertStore } from '../../db/queries/stores';
import { orderItems, orders, sendDecisions } from '../../db/schema';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { middayZone } from '../../test/clock';
import { login, page } from '../../test/dashboard-session';
import { contactAgentName } from '../../contacts/domain-events';
import { completeSender } from '../../test/sender';

const d = () => db(env.DB);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const MIN = 60_000;

/**
 * A shopper whose first cart reminder went out through the real journey (abandoned-cart preset), who
 * opened and clicked it, then ordered something else; the next step (the follow-up) is still pending.
 */
async function shopperStory(storeId: string) {
  await upsertStore(d(), {
    id: storeId, name: storeId, siteUrl: `https://${storeId}.example`, webhookSecret: 's'.repeat(32), siteKey: `pk_${storeId}`,
    timezone: middayZone(Date.now()), locale: 'fr', createdAt: 1, updatedAt: 1,
  });
  const patched = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${storeId}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0, settings: { incentiveEnabled: false } }) });
  expect(patched.status).toBe(200);
  const ts = Date.now();
  await processCollectMessage(env, {
    kind: 'collect', storeId, trusted: true, visitorId: 'v_timeline_01', receivedAt: ts, ipHash: null, userAgent: null,
    events: [
      { id: 'tl_ident_1', type: 'identify', ts, email: 'lea@example.com', firstName: 'Léa', source: 'checkout', consent: { emailMarketing: true } },
      { id: 'tl_cart_1', type: 'cart_updated', ts: ts + 1, cart: { items: [{ productId: 10, quantity: 2, price: 20, name: 'Lampe de chevet' }], value: 40, currency: 'EUR' } },
    ],
  });
  const contact = (await findContactByEmail(d(), storeId, 'lea@example.com'))!;
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contact.id));
  const [idle] = (await agent.journeyStatus()).pendingTimers;
  await agent.runDue(idle!.dueAt);
  const [email] = await listContactMessages(d(), storeId, contact.id);
  const sentAt = email!.sentAt ?? email!.createdAt;
  await storeProviderEvent(d(), {
    storeId, dedupeKey: 'tl-open-1', stream: 'broadcast', recordType: 'Open', kind: 'open', messageId: email!.id, contactId: contact.id,
    recipient: 'lea@example.com', occurredAt: sentAt + 5 * MIN, receivedAt: sentAt + 5 * MIN, details: {},
  }, []);
  await recordMessageClick(d(), { storeId, messageId: email!.id, contactId: contact.id, linkIndex: 0, url: 'https://shop.example/panier', clickedAt: sentAt + 6 * MIN });
  await d().insert(orders).values({
    storeId, id: 7001, number: '7001', contactId: contact.id, status: 'processing', currency: 'EUR', total: 58.5, couponCodes: [], attribution: {},
    createdAt: sentAt - 2 * 86_400_000, sourceModifiedAt: 1, updatedAt: 1,
  });
  await d().insert(orders).values({
    storeId, id: 7002, number: '7002', contactId: contact.id, status: 'cancelled', currency: 'EUR', total: 12, couponCodes: [], attribution: {},
    createdAt: sentAt - 3 * 86_400_000, deletedAt: sentAt - 86_400_000, sourceModifiedAt: 1, updatedAt: 1,
  });
  await d().insert(orderItems).values({ storeId, orderId: 7001, lineId: 1, productId: 11, name: 'Bougie parfumée', quantity: 3, price: 19.5, total: 58.5 });
  await d().insert(sendDecisions).values({
    storeId, idempotencyKey: 'tl-held-1', contactId: contact.id, flowId: 'abandoned-cart', channel: 'sms', decision: 'skip', reason: 'no_sms_consent',
    priority: 'normal', transactional: false, decidedAt: sentAt + MIN,
  });
  const [followUp] = (await agent.journeyStatus()).pendingTimers;
  return { contact, email: email!, followUpAt: followUp!.dueAt };
}

describe('dashboard contact timeline', () => {
  it('shows the sent email with its open and click, the order, the cart, the pending step and the held SMS, newest first', async () => {
    const storeId = 'dash-timeline';
    const { contact, email } = await shopperStory(storeId);
    const cookie = await login();
    const fr = await page(cookie, `/admin/stores/${storeId}/contacts/${contact.id}`);
    const timeline = fr.slice(fr.indexOf('id="timeline"'));
    const kinds = [...timeline.matchAll(/<li class="entry" data-kind="([a-z]+)"/g)].map((m) => m[1]);
    // The follow-up is due in the future, so it comes first; the order, two days before the email, comes after it.
    expect(kinds[0]).toBe('upcoming');
    expect(kinds.indexOf('message')).toBeLessThan(kinds.indexOf('order'));
    expect(kinds).toEqual(expect.arrayContaining(['upcoming', 'message', 'order', 'cart', 'journey', 'held', 'event']));

    expect(email.subject).toBeTruthy();
    expect(timeline).toContain(email.subject!.replaceAll('’', '’'));
    expect(timeline).toContain('Ouvert');
    expect(timeline).toContain('Lien cliqué · https://shop.example/panier');
    expect(timeline).toContain('Commande n° 7001');
    expect(timeline).toMatch(/Commande n° 7002<\/strong> · Annulée · 12,00\s€ · supprimée dans WooCommerce/);
    expect(timeline).toContain('3 × Bougie parfumée');
    expect(timeline).toMatch(/58,50\s€/);
    expect(timeline).toContain('2 × Lampe de chevet');
    expect(timeline).toContain('Relance de panier abandonné');
    expect(timeline).toContain('Non envoyé');
    expect(timeline).toContain('pas de consentement SMS');
    expect(fr).toContain('Prochaine étape');
    expect(fr).toContain('Panier actuel');

    const en = await page(cookie, `/admin/stores/${storeId}/contacts/${contact.id}?lang=en`);
    const enTimeline = en.slice(en.indexOf('id="timeline"'));
    for (const text of ['Upcoming', 'Opened', 'Link clicked · https://shop.example/panier', 'Order no. 7001', 'Not sent', 'no SMS consent', 'Abandoned cart cascade', 'Current cart']) {
      expect(en.includes(text) && (text === 'Current cart' || enTimeline.includes(text)), text).toBe(true);
    }
    expect(enTimeline).toContain('€58.50');
  });

  it('names the next step of a running journey and when it is due', async () => {
    const storeId = 'dash-timeline-next';
    const { contact, followUpAt } = await shopperStory(storeId);
    const cookie = await login();
    const html = await page(cookie, `/admin/stores/${storeId}/contacts/${contact.id}?lang=en`);
    const journeys = html.slice(html.indexOf('id="journeys-title"'), html.indexOf('id="timeline"'));
    expect(journeys).toContain('Abandoned cart cascade');
    expect(journeys).toContain('Running');
    const due = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: middayZone(Date.now()) }).format(followUpAt);
    expect(journeys).toContain(due);
    // Waiting for a click on the first email: when the wait times out, the follow-up branch decides.
    expect(journeys).toContain('<td data-label="Next step">Condition (follow_up)</td>');
  });

  it('caps the timeline and offers to show more', async () => {
    const storeId = 'dash-timeline-more';
    const { contact } = await shopperStory(storeId);
    const ts = Date.now();
    await processCollectMessage(env, {
      kind: 'collect', storeId, trusted: false, visitorId: 'v_timeline_01', receivedAt: ts, ipHash: null, userAgent: null,
      events: Array.from({ length: 60 }, (_, i) => ({ id: `tl_view_${i}`, type: 'page_view', ts: ts - i * 1000, url: `https://shop.example/p/${i}` })),
    });
    const cookie = await login();
    const first = await page(cookie, `/admin/stores/${storeId}/contacts/${contact.id}`);
    expect([...first.matchAll(/<li class="entry" data-kind=/g)]).toHaveLength(50);
    expect(first).toContain(`href="/admin/stores/${storeId}/contacts/${contact.id}?limit=100#timeline">Afficher plus</a>`);
    const more = await page(cookie, `/admin/stores/${storeId}/contacts/${contact.id}?limit=100`);
    const count = [...more.matchAll(/<li class="entry" data-kind=/g)].length;
    expect(count).toBeGreaterThan(60);
    expect(count).toBeLessThan(100);
    expect(more).not.toContain('Afficher plus');
  });

  it('shows a send held for the contact’s night as an upcoming step, with the reason', async () => {
    const storeId = 'dash-timeline-night';
    const now = Date.now();
    // A zone where it is about 2 a.m.: promotional sends wait for waking hours.
    const offset = ((2 - new Date(now).getUTCHours() + 36) % 24) - 12;
    const night = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    await upsertStore(d(), { id: storeId, name: storeId, siteUrl: `https://${storeId}.example`, webhookSecret: 's'.repeat(32), siteKey: `pk_${storeId}`, timezone: night, locale: 'fr', createdAt: 1, updatedAt: 1 });
    await completeSender(d(), storeId);
    const patched = await SELF.fetch(`https://ns.test/api/flows/welcome?store=${storeId}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
    expect(patched.status).toBe(200);
    await processCollectMessage(env, {
      kind: 'collect', storeId, trusted: true, visitorId: 'v_timeline_night', receivedAt: now, ipHash: null, userAgent: null,
      events: [{ id: 'tl_night_1', type: 'identify', ts: now, email: 'noctambule@example.com', firstName: 'Nina', source: 'checkout', consent: { emailMarketing: true } }],
    });
    const contact = (await findContactByEmail(d(), storeId, 'noctambule@example.com'))!;
    const { pendingActions } = await env.CONTACT_AGENT.getByName(contactAgentName(storeId, contact.id)).journeyStatus();
    const deferred = pendingActions.find((a) => a.type === 'send_email');
    expect(deferred?.dueAt).toBeGreaterThan(now);
    const cookie = await login();
    const html = await page(cookie, `/admin/stores/${storeId}/contacts/${contact.id}`);
    const timeline = html.slice(html.indexOf('id="timeline"'));
    const due = new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'short', timeZone: night }).format(deferred!.dueAt!);
    // [^<]+ is the flow's name (its French one once flow-copy.ts has it).
    const upcoming = `<li class="entry" data-kind="upcoming"><p class="when">À venir · <time datetime="${new Date(deferred!.dueAt!).toISOString()}">${due}</time></p><p>[^<]+ : Envoi d’un e-mail \\(email_1\\)</p>`;
    expect(timeline).toMatch(new RegExp(upcoming));
    expect(timeline).toMatch(new RegExp(`<strong>Reporté</strong> · E-mail · [^<]+ · heures calmes · jusqu’au ${due}`));
  });
});
