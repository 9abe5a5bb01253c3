import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { executeShowPrompt } from '../contacts/executors/show-prompt';
import { origin, seedExecutorContext } from '../contacts/executors/test/seed';
import { upsertOrderVersion } from '../db/queries/orders';
import { findPrompt, savePrompt } from '../db/queries/prompts';
import { linkVisitorToContact, touchVisitor } from '../db/queries/visitors';
import type { EnrollmentContext } from '../journeys/state';

const HOUR = 3_600_000;
const CART: EnrollmentContext = {
  coupons: [],
  cart: {
    value: 259,
    currency: 'EUR',
    itemCount: 3,
    lines: [
      { productId: 7, quantity: 1, price: 199, name: 'Barbecue Kamado' },
      { productId: 9, quantity: 2, price: 30, name: 'Sac de charbon <b>' },
    ],
    restoreUrl: 'https://widgets.shop.test/?nightshift_cart=tok',
  },
};

async function setup(storeId: string, locale?: string) {
  const now = Date.now();
  const ctx = await seedExecutorContext(storeId, now, {}, locale ? { locale } : {});
  const vid = `v_${storeId.replace(/-/g, '_')}_visitor`;
  await touchVisitor(ctx.d, storeId, vid, now);
  await linkVisitorToContact(ctx.d, storeId, vid, ctx.contact.id);
  const action = { ...origin('enr_cart', 'onsite'), type: 'show_prompt' as const, template: 'cart.prompt', context: CART, expiresAt: now + HOUR };
  expect(await executeShowPrompt(ctx, action)).toEqual({ status: 'done' });
  const page = `https://${storeId}.shop.test`;
  const fetchPrompt = (query: string, originHeader: string | null = page, init: RequestInit = {}) =>
    SELF.fetch(`https://ns.test/widgets/prompt${query}`, { ...init, headers: originHeader ? { Origin: originHeader } : {} });
  return { ctx, vid, page, fetchPrompt };
}

type PromptBody = { id: string; title: string; body: string; lines: { name: string; quantity: number }[]; cta: { label: string; url: string }; closeLabel: string; lang: string };

describe('GET /widgets/prompt', () => {
  it('returns the contact’s pending prompt in French to the store’s own pages, privately', async () => {
    const { vid, page, fetchPrompt } = await setup('widgets-fr');
    const res = await fetchPrompt(`?store=widgets-fr&vid=${vid}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(page);
    expect(res.headers.get('Vary')).toContain('Origin');
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    const body = await res.json<PromptBody>();
    expect(body).toMatchObject({
      title: 'Votre panier vous attend',
      body: 'Vos 3 articles sont toujours là.',
      lines: [
        { name: 'Barbecue Kamado', quantity: 1 },
        { name: 'Sac de charbon <b>', quantity: 2 },
      ],
      cta: { label: 'Reprendre mon panier', url: 'https://widgets.shop.test/?nightshift_cart=tok' },
      closeLabel: 'Fermer',
      lang: 'fr',
    });
    const bySiteKey = await fetchPrompt(`?store=pk_widgets-fr&vid=${vid}`);
    expect((await bySiteKey.json<PromptBody>()).id).toBe(body.id);
  });

  it('speaks English to an English-speaking contact', async () => {
    const { vid, fetchPrompt } = await setup('widgets-en', 'en-US');
    expect(await (await fetchPrompt(`?store=widgets-en&vid=${vid}`)).json()).toMatchObject({ title: 'Your cart is waiting', cta: { label: 'Back to my cart' }, lang: 'en' });
  });

  it('refuses other origins, and has nothing for unknown visitors', async () => {
    const { vid, fetchPrompt } = await setup('widgets-cors');
    const foreign = await fetchPrompt(`?store=widgets-cors&vid=${vid}`, 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect((await fetchPrompt(`?store=widgets-cors&vid=${vid}`, null)).status).toBe(403);
    expect((await fetchPrompt(`?store=nope&vid=${vid}`)).status).toBe(404);
    expect((await fetchPrompt('?store=widgets-cors&vid=v_stranger_000')).status).toBe(204);
    expect((await fetchPrompt('?store=widgets-cors&vid=<script>')).status).toBe(400);
    const preflight = await fetchPrompt(`/x/dismiss?store=widgets-cors&vid=${vid}`, 'https://widgets-cors.shop.test', { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('POST');
  });

  it('dismissal hides it for good, and only a visitor of that contact can dismiss', async () => {
    const { ctx, vid, fetchPrompt } = await setup('widgets-dismiss');
    const { id } = await (await fetchPrompt(`?store=widgets-dismiss&vid=${vid}`)).json<PromptBody>();
    await touchVisitor(ctx.d, 'widgets-dismiss', 'v_someone_else', Date.now());
    expect((await fetchPrompt(`/${id}/dismiss?store=widgets-dismiss&vid=v_someone_else`, undefined, { method: 'POST' })).status).toBe(404);
    expect((await fetchPrompt(`?store=widgets-dismiss&vid=${vid}`)).status).toBe(200);
    const dismissed = await fetchPrompt(`/${id}/dismiss?store=widgets-dismiss&vid=${vid}`, undefined, { method: 'POST' });
    expect(dismissed.status).toBe(204);
    expect(dismissed.headers.get('Access-Control-Allow-Origin')).toBe('https://widgets-dismiss.shop.test');
    expect((await fetchPrompt(`?store=widgets-dismiss&vid=${vid}`)).status).toBe(204);
  });

  it('serves nothing once the prompt has expired', async () => {
    const { ctx, vid, fetchPrompt } = await setup('widgets-expired');
    await fetchPrompt(`?store=widgets-expired&vid=${vid}`).then((r) => r.json<PromptBody>()).then(({ id }) =>
      fetchPrompt(`/${id}/dismiss?store=widgets-expired&vid=${vid}`, undefined, { method: 'POST' }),
    );
    const past = Date.now() - 2 * HOUR;
    await savePrompt(ctx.d, { id: 'pr_old', storeId: 'widgets-expired', contactId: ctx.contact.id, idempotencyKey: 'enr_old:onsite', template: 'cart.prompt', context: CART, createdAt: past, expiresAt: past + HOUR });
    expect((await fetchPrompt(`?store=widgets-expired&vid=${vid}`)).status).toBe(204);
  });

  it('stops showing a cart prompt once the contact has ordered', async () => {
    const { ctx, vid, fetchPrompt } = await setup('widgets-ordered');
    const { id } = await (await fetchPrompt(`?store=widgets-ordered&vid=${vid}`)).json<PromptBody>();
    const now = Date.now();
    await upsertOrderVersion(
      ctx.d,
      { storeId: 'widgets-ordered', id: 501, contactId: ctx.contact.id, status: 'processing', total: 259, couponCodes: [], attribution: {}, createdAt: now, paidAt: now, sourceModifiedAt: now, updatedAt: now },
      [],
    );
    expect((await fetchPrompt(`?store=widgets-ordered&vid=${vid}`)).status).toBe(204);
    expect((await findPrompt(ctx.d, 'widgets-ordered', id))?.dismissedAt).not.toBeNull();
  });
});
