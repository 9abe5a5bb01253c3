import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { catalogueStrings, untranslatedTexts } from '../../dashboard/i18n/catalogue';
import { COPY } from '../../dashboard/copy';
import { db } from '../../db/client';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { parkFailure, recordDelivery } from '../../db/queries/deliveries';
import { claimMessage, completeMessage } from '../../db/queries/messages';
import { MESSAGE_STATUSES } from '../../db/schema';
import { adminFetch, login, page, seedDashboardStore } from '../../test/dashboard-session';
import { visibleTexts } from '../../test/visible-text';

const STORE = 'dash-i18n';
const now = Date.now();

/** A store with a message in every status on both channels, webhook deliveries in every status and a parked message. */
async function seed(): Promise<void> {
  await seedDashboardStore(STORE);
  const d = db(env.DB);
  const { contact } = await findOrCreateContactByEmail(d, STORE, 'lea@example.com', now);
  for (const [i, status] of MESSAGE_STATUSES.entries()) {
    const channel = i % 2 === 0 ? 'email' : 'sms';
    const row = { id: `msg_i18n_${i}`, storeId: STORE, contactId: contact.id, flowId: 'abandoned-cart', stepId: channel === 'email' ? 'email_1' : 'sms', enrollmentId: null };
    const { message } = await claimMessage(d, { ...row, idempotencyKey: `i18n:${i}`, channel, subject: channel === 'email' ? 'Votre panier' : null, html: null, text: 'Bonjour', to: channel === 'email' ? 'lea@example.com' : '+33600000000', createdAt: now - i }, status === 'queued' ? 'queued' : 'sending');
    if (status !== 'queued' && status !== 'sending') await completeMessage(d, STORE, message.id, { status });
  }
  for (const [i, status] of (['queued', 'processed', 'stale', 'skipped', 'failed'] as const).entries()) {
    await recordDelivery(d, { storeId: STORE, deliveryId: `dl-${i}`, topic: i % 2 ? 'order.updated' : 'customer.created', status, receivedAt: now - 1000 * i });
  }
  await parkFailure(d, STORE, 'woo', { topic: 'order.created' }, now, 'retries exhausted');
}

const PAGES = ['/admin/stores', `/admin/stores/${STORE}`, `/admin/stores/${STORE}/flows`, `/admin/stores/${STORE}/messages`, `/admin/stores/${STORE}/messages/msg_i18n_0`, `/admin/stores/${STORE}/connection`, `/admin/stores/${STORE}/flows/abandoned-cart/messages/email_1`];

describe('the dashboard in one language at a time', () => {
  it('the two catalogues have the same keys, and the checker sees an English status in a French page', () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v).map((s) => `${k}.${s}`) : [k]));
    expect(keys(COPY.en)).toEqual(keys(COPY.fr));
    expect(catalogueStrings('fr')).toContain('Relance de panier abandonné');
    expect(untranslatedTexts(['Outbox (not sent)', 'Sent', 'processed', 'Abandoned cart cascade', 'Boutique démo', 'SMS', 'Contacts'], 'fr')).toEqual(['Outbox (not sent)', 'Sent', 'processed', 'Abandoned cart cascade']);
    expect(untranslatedTexts(['Envoyé', 'Vue d’ensemble', 'Commande · création', 'Overview'], 'en')).toEqual(['Envoyé', 'Vue d’ensemble', 'Commande · création']);
  });

  it('shows every status, channel, topic and flow in French with ?lang=fr and in English with ?lang=en', async () => {
    await seed();
    const cookie = await login();
    for (const lang of ['fr', 'en'] as const) {
      for (const path of PAGES) {
        const html = await page(cookie, `${path}?lang=${lang}`);
        expect(html, path).toContain(`<html lang="${lang}">`);
        expect(untranslatedTexts(visibleTexts(html), lang), `${path} in ${lang}`).toEqual([]);
      }
    }
    const fr = await page(cookie, `/admin/stores/${STORE}/messages?lang=fr`);
    for (const status of MESSAGE_STATUSES) expect(fr).toContain(COPY.fr.values.messageStatus[status]);
    expect(fr).toContain('<td data-label="Canal">SMS</td>');
    expect(fr).toContain('Relance de panier abandonné');
    const overview = visibleTexts(await page(cookie, `/admin/stores/${STORE}?lang=fr`)).join('\n');
    expect(overview).toContain('Client · création · En attente');
    expect(overview).toContain('Traitée : 1');
    expect(overview).toContain('Périmée (plus récente déjà reçue) : 1');
    expect(overview).toContain('Webhook WooCommerce · Commande · création');
    const en = visibleTexts(await page(cookie, `/admin/stores/${STORE}?lang=en`)).join('\n');
    expect(en).toContain('Customer · created · Queued');
    expect(en).toContain('WooCommerce webhook · Order · created');
  });
});

describe('dashboard errors in the admin language', () => {
  it('answers a malformed address with a 400 page worded for the admin, never zod text or a 500', async () => {
    await seedDashboardStore('dash-i18n-err');
    const cookie = await login();
    const long = 'x'.repeat(400);
    for (const path of [`/admin/stores/dash-i18n-err/contacts?email=${long}`, `/admin/stores/dash-i18n-err/flows/abandoned-cart/messages/email_1?to=${long}`]) {
      const res = await adminFetch(path, { headers: { Cookie: cookie, 'Accept-Language': 'fr' } });
      const html = await res.text();
      expect([path, res.status]).toEqual([path, 400]);
      expect(html).toContain('Adresse de page ou valeurs invalides : revenez en arrière et réessayez.');
      expect(visibleTexts(html).filter((t) => /Invalid|Too big|[Ee]xpected/.test(t))).toEqual([]);
    }
  });
});
