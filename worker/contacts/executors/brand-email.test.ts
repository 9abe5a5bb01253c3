import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { appendConsents } from '../../db/queries/consents';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { findStore, upsertStore } from '../../db/queries/stores';
import type { SendEmailAction } from '../../journeys/actions';
import { middayZone } from '../../test/clock';
import { executeSendEmail } from './send-email';
import { completeSender } from '../../test/sender';

const d = () => db(env.DB);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const patch = (path: string, body: unknown) => SELF.fetch(`https://ns.test/api${path}`, { method: 'PATCH', headers: auth, body: JSON.stringify(body) });

const BRAND = {
  displayName: 'Maison Braise',
  postalAddress: '12 rue des Forges, 69001 Lyon',
  brandLogoUrl: 'https://cdn.braise.example/logo.png',
  brandPrimaryColor: '#B4231F',
  brandAccentColor: '#0B5CAD',
};

async function seedStore(storeId: string) {
  await upsertStore(d(), {
    id: storeId, name: 'braise-shop', siteUrl: 'https://braise.example', webhookSecret: 'whsec_brand_email', siteKey: `pk_${storeId}`,
    timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1,
  });
  // A sender and an address, so promotional email is not held (messaging/guardrails/sender.ts).
  await completeSender(d(), storeId);
}

/** A real cart reminder for a contact speaking `locale`, who consented to marketing and to open tracking. */
async function cartEmail(storeId: string, locale: string): Promise<string> {
  const now = Date.now();
  const { contact } = await findOrCreateContactByEmail(d(), storeId, `${locale}@${storeId}.example`, now);
  await appendConsents(d(), [
    { storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 2000 },
    { storeId, contactId: contact.id, channel: 'email', purpose: 'tracking', granted: true, source: 'checkout', occurredAt: now - 1000 },
  ]);
  const action: SendEmailAction = {
    type: 'send_email', template: 'cart.reminder.1', params: {}, choices: [], products: [], categories: [],
    context: { coupons: [], cart: { lines: [{ productId: 7, name: 'Kamado', quantity: 1, price: 899 }], value: 899, itemCount: 1, restoreUrl: 'https://braise.example/cart' } } as SendEmailAction['context'],
    idempotencyKey: `enr-${storeId}-${locale}:email_1`, flowId: 'abandoned-cart', flowVersion: 1, enrollmentId: `enr-${storeId}-${locale}`, nodeId: 'email_1',
  };
  const store = (await findStore(d(), storeId))!;
  expect(await executeSendEmail({ env, d: d(), store, contact: { ...contact, locale }, now }, action)).toEqual({ status: 'done' });
  const [message] = await listContactMessages(d(), storeId, contact.id);
  return message!.html ?? '';
}

describe('the brand set in the settings reaches every email', () => {
  it.each([['fr', 'Se désinscrire'], ['en', 'Unsubscribe']])('a cart reminder in %s shows the logo, display name, address and colours', async (locale, unsubscribe) => {
    const storeId = `brand-${locale}`;
    await seedStore(storeId);
    expect((await patch(`/stores/${storeId}/settings`, BRAND)).status).toBe(200);
    const html = await cartEmail(storeId, locale);
    expect(html).toContain('<img src="https://cdn.braise.example/logo.png" alt="Maison Braise"');
    expect(html).toContain('.btn{display:inline-block;background:#b4231f;');
    expect(html).toContain('a{color:#0b5cad}');
    expect(html).toContain('Maison Braise · 12 rue des Forges, 69001 Lyon');
    expect(html).toContain(unsubscribe);
    expect(html).not.toContain('braise-shop');
  });

  it('falls back to the store name and the neutral colours when no brand is set', async () => {
    await seedStore('brand-none');
    const html = await cartEmail('brand-none', 'fr');
    expect(html).toContain('background:#18181b;');
    expect(html).toContain('font-size:20px">braise-shop</a>');
    expect(html).not.toContain('<img src="https://cdn');
  });

  it('refuses a logo that is not https and a colour that is not #rrggbb', async () => {
    await seedStore('brand-bad');
    const res = await patch('/stores/brand-bad/settings', { brandLogoUrl: 'http://cdn.example/logo.png', brandPrimaryColor: 'red;}body{display:none' });
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { details: { path: string[] }[] } }>();
    expect(body.error.details.map((i) => i.path[0]).sort()).toEqual(['brandLogoUrl', 'brandPrimaryColor']);
  });
});

describe('open tracking can be turned off for the whole store (privacy settings)', () => {
  it('puts the pixel in while on, leaves it out once off, and keeps click tracking', async () => {
    await seedStore('brand-opens');
    expect(await cartEmail('brand-opens', 'fr')).toContain('/o/');
    const res = await patch('/stores/brand-opens/privacy', { openTracking: false });
    expect(res.status).toBe(200);
    expect((await res.json<{ settings: { openTracking: boolean } }>()).settings.openTracking).toBe(false);
    const html = await cartEmail('brand-opens', 'en');
    expect(html).not.toContain('/o/');
    expect(html).toContain('/c/');
  });
});
