import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import type { Contact } from '../../db/queries/contacts';
import { listContactMessages, type Message } from '../../db/queries/messages';
import type { Store } from '../../db/queries/stores';
import type { JourneyAction } from '../../journeys/actions';
import { applyFlowPatch, type FlowPatch } from '../../journeys/flow-patch';
import type { Flow } from '../../journeys/flow-schema';
import { PRESETS, presetById } from '../../journeys/presets';
import { JourneySimulator } from '../../journeys/simulate';
import { loadContactFacts } from '../runtime/contact-facts';
import { linkSigningKey } from '../../db/queries/store-settings';
import { importTokenKey } from '../../lib/tokens';
import { readClickToken } from '../../messaging/email/links';
import { executeAction } from './index';
import { issueCoupon } from './issue-coupon';
import { CATALOGUE, CK, CS, DAY, orderHistory, permalink, presetContact, presetStore, T0 } from './test/preset-store';
import { createWooFake } from './test/woo-fake';
import type { ExecutorOutcome } from './types';

type Locale = 'fr' | 'en';

const live = (id: string, settings: FlowPatch['settings'] = {}): Flow => {
  const result = applyFlowPatch({ ...presetById(id)!, enabled: true }, { settings, holdoutPercent: 0 });
  if (!result.ok) throw new Error(result.problems.join());
  return result.flow;
};

/** Runs the simulated journeys, then every action through the real executors at the time step() produced it. */
async function play(d: Db, store: Store, contact: Contact, flows: Flow[], script: (sim: JourneySimulator) => void, until: number) {
  const sim = new JourneySimulator(flows, await loadContactFacts(d, store, contact), T0);
  script(sim);
  sim.advanceTo(until);
  const woo = createWooFake(CK, CS);
  const outcomes: { action: JourneyAction; outcome: ExecutorOutcome }[] = [];
  for (const { at, action } of sim.history) {
    const ctx = { env, d, store, contact, now: at };
    const outcome = action.type === 'issue_coupon' ? await issueCoupon(ctx, action, woo.fetch) : await executeAction(ctx, action);
    outcomes.push({ action, outcome });
  }
  const sends = outcomes.filter((o) => o.action.type === 'send_email' || o.action.type === 'send_sms');
  expect(sends.filter((o) => o.outcome.status !== 'done').map((o) => [o.action.type === 'journey_log' ? '' : o.action.nodeId, o.outcome])).toEqual([]);
  const key = await importTokenKey(await linkSigningKey(d, store.id, T0));
  const messages = await Promise.all((await listContactMessages(d, store.id, contact.id)).map((m) => untracked(key, m)));
  return { sim, outcomes, messages, byStep: (flowId: string, stepId: string) => messages.find((m) => m.flowId === flowId && m.stepId === stepId) };
}

/** The message with each click-tracking redirect replaced by the address it leads to. */
async function untracked(key: CryptoKey, m: Message): Promise<Message> {
  const swap = async (body: string) => {
    let out = body;
    for (const [link, token] of body.matchAll(/https?:\/\/[^\s"'<>]+\/c\/([^\s"'<>]+)/g)) {
      const target = await readClickToken(key, token!);
      if (target) out = out.replace(link, target.url);
    }
    return out;
  };
  return { ...m, html: m.html === null ? null : await swap(m.html), text: await swap(m.text) };
}

const ENGLISH = /\b(the|your|you|our|with|and|here|thank|thanks|orders?|cart|gift|welcome|shop|visit|return|valid|until|qty|also|like|there|hi|picked|for|more)\b/i;
const FRENCH = /\b(votre|vous|merci|panier|commandes?|bonjour|boutique|nous|cadeau|découvrir|avec|pour)\b/i;

/** What every rendered message must be: complete merge fields, working links, one language. */
function expectWellFormed(m: Message, locale: Locale) {
  const parts = [m.subject ?? '', m.html ?? '', m.text];
  for (const raw of parts) {
    const part = raw.replace(/&#\d+;/g, "'");
    expect(part).not.toMatch(/\{\{|\{%|undefined|NaN|\[object|null/);
    expect(part).not.toMatch(/\b(your|votre|vos|de|of|the)\s*[.,!?:]/i);
    // A product the catalogue does not know would show as `#123`.
    expect(part.replace(/#[0-9a-f]{6}\b/g, '').match(/.{0,40}#\d+.{0,40}/)?.[0]).toBeUndefined();
    expect(part).not.toContain('href="#"');
  }
  if (m.channel === 'email') expect(m.subject?.trim().length).toBeGreaterThan(5);
  const words = parts
    .join('\n')
    .replace(/<style[\s\S]*?<\/style>|<title>[\s\S]*?<\/title>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ').replace(/<[^>]+>/g, ' ').replace(/NS-[A-Z0-9]+/g, ' ');
  const names = new RegExp(`\\b(${CATALOGUE.map((p) => p.name).join('|')}|Atelier Nomo|Zoé|STOP)\\b`, 'g');
  const copy = words.replace(names, ' ');
  const foreign = copy.match(new RegExp(`.{0,50}${(locale === 'fr' ? ENGLISH : FRENCH).source}.{0,30}`, 'i'));
  expect(foreign?.[0], `${m.flowId}:${m.stepId}`).toBeUndefined();
}

const money = (value: number, locale: Locale) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(value);

/** Each named product appears with its price and its own link, in the HTML and the text. */
function expectProducts(m: Message | undefined, ids: number[], locale: Locale, storeId: string) {
  expect(m).toBeDefined();
  for (const id of ids) {
    const p = CATALOGUE.find((c) => c.id === id)!;
    for (const body of [m!.html ?? '', m!.text]) {
      expect(body).toContain(p.name);
      expect(body).toContain(money(p.price, locale));
      expect(body).toContain(permalink(storeId, id));
    }
  }
}

function shownProducts(m: Message | undefined): number[] {
  const at = (p: { name: string }) => m?.text.indexOf(`- ${p.name} (`) ?? -1;
  return CATALOGUE.filter((p) => at(p) >= 0)
    .sort((a, b) => at(a) - at(b))
    .map((p) => p.id);
}

const COPY = {
  fr: { welcome: 'Bienvenue chez Atelier Nomo', newArrivals: 'Nouveautés', postPurchase: 'Profitez pleinement de votre Kokoro', perks: 'Livraison offerte', path: 'Bien débuter', gift: 'petit cadeau', restock: 'Bientôt à court de Fumo', cartSms: 'votre panier vous attend' },
  en: { welcome: 'Welcome to Atelier Nomo', newArrivals: 'New arrivals', postPurchase: 'Get the most out of your Kokoro', perks: 'Free shipping', path: 'Getting started', gift: 'thank-you gift', restock: 'Running low on Fumo', cartSms: 'your cart is saved for you' },
} as const;

describe.each(['fr', 'en'] as const)('every preset email and SMS, rendered in %s for a real store', (locale) => {
  it('a customer: win-back, replenishment, post-purchase (3 steps), VIP and loyalty', async () => {
    const { d, store } = await presetStore(`st_render_buyer_${locale}`, locale);
    const contact = await presetContact(d, store, `buyer@${locale}.test`, T0 - 200 * DAY);
    const order = await orderHistory(d, store, contact, 5000);
    const flows = ['win-back', 'replenishment', 'post-purchase', 'vip-loyalty'].map((id) => live(id));
    const { messages, byStep } = await play(d, store, contact, flows, (s) => s.emit({ type: 'order.paid', order }), T0 + 60 * DAY);
    expect(messages.map((m) => `${m.flowId}:${m.stepId}`).sort()).toEqual([
      'post-purchase:step_1', 'post-purchase:step_2', 'post-purchase:step_3', 'replenishment:email', 'vip-loyalty:loyalty_email',
      'vip-loyalty:vip_email', 'win-back:email',
    ]);
    for (const m of messages) expectWellFormed(m, locale);

    const steps = ['step_1', 'step_2', 'step_3'].map((s) => byStep('post-purchase', s));
    for (const step of steps) {
      expect(step?.subject).toContain(COPY[locale].postPurchase);
      const shown = shownProducts(step);
      expect(shown.length).toBeGreaterThan(0);
      // In the bought categories, in stock, never what was bought (Kokoro, Fumo, Brasa).
      expect(shown.every((id) => [101, 102, 103, 104, 106, 107, 201, 202].includes(id))).toBe(true);
      expectProducts(step, shown, locale, store.id);
    }
    // Each step moves on to products the previous ones did not show.
    const shown = steps.flatMap(shownProducts);
    expect(new Set(shown).size).toBe(shown.length);

    const restock = byStep('replenishment', 'email');
    expect(restock?.subject).toBe(`${COPY[locale].restock} ?`.replace(' ?', locale === 'fr' ? ' ?' : '?'));
    expect(restock?.text).toContain(`https://${store.id}.shop.test/?add-to-cart=200&quantity=2`);

    expect(byStep('vip-loyalty', 'vip_email')?.text).toContain(COPY[locale].perks);
    const loyalty = byStep('vip-loyalty', 'loyalty_email');
    expect(loyalty?.subject).toMatch(/^5 /);
    expect(loyalty?.text).toContain(COPY[locale].gift);
    expect(loyalty?.text).toMatch(/NS-[A-Z0-9]{8}/);
    expect(loyalty?.html).toMatch(/<span class="code">NS-[A-Z0-9]{8}<\/span>/);

    const winBack = byStep('win-back', 'email');
    expect(winBack?.text).toMatch(/NS-[A-Z0-9]{8}/);
    expectProducts(winBack, shownProducts(winBack), locale, store.id);
    expect(shownProducts(winBack).length).toBe(3);
  });

  it('a newcomer: welcome (choice, pick, coupon), lead nurture, abandoned cart with SMS, birthday', async () => {
    const { d, store } = await presetStore(`st_render_new_${locale}`, locale);
    const contact = await presetContact(d, store, `new@${locale}.test`, T0 - DAY);
    const flows = ['welcome', 'lead-nurture', 'abandoned-cart', 'vip-loyalty'].map((id) => live(id));
    const cart = {
      value: 163.9, currency: 'EUR', itemCount: 3, restoreUrl: `https://${store.id}.shop.test/?nightshift_cart=tok123`,
      lines: [{ productId: 104, quantity: 2, price: 59 }, { productId: 107, quantity: 1, price: 45.9, name: 'Duozo' }],
    };
    const { messages, byStep } = await play(d, store, contact, flows, (s) => {
      const [welcome1] = s.emit({ type: 'customer.created' }).filter((a) => a.type === 'send_email' && a.nodeId === 'email_1');
      if (welcome1?.type !== 'send_email') throw new Error('welcome email 1 not sent');
      s.emit({ type: 'identified' }, T0 + 60_000);
      s.emit({ type: 'message.clicked', message: { enrollmentId: welcome1.enrollmentId, nodeId: 'email_1', linkKey: 'new' } }, T0 + 3_600_000);
      s.emit({ type: 'cart_updated', cart }, T0 + 2 * 3_600_000);
      s.emit({ type: 'date.reached', properties: { field: 'birthday' } }, T0 + DAY);
    }, T0 + 8 * DAY);
    expect(messages.map((m) => `${m.flowId}:${m.stepId}`).sort()).toEqual([
      'abandoned-cart:email_1', 'abandoned-cart:sms', 'lead-nurture:choose', 'lead-nurture:default_1', 'lead-nurture:default_2',
      'vip-loyalty:birthday_email', 'welcome:email_1', 'welcome:email_2', 'welcome:email_3',
    ]);
    for (const m of messages) expectWellFormed(m, locale);

    const welcome1 = byStep('welcome', 'email_1');
    expect(welcome1?.subject).toContain(COPY[locale].welcome);
    expect(welcome1?.text).toContain(`${COPY[locale].newArrivals}${locale === 'fr' ? '\u00a0:' : ':'} https://${store.id}.shop.test/?nightshift_choice=new`);
    const welcome2 = byStep('welcome', 'email_2');
    expect(welcome2?.text).toContain(COPY[locale].newArrivals);
    // "New arrivals": the newest products of the catalogue that are in stock.
    expect(shownProducts(welcome2)).toEqual([300, 202, 201]);
    expectProducts(welcome2, [300, 202, 201], locale, store.id);
    const welcome3 = byStep('welcome', 'email_3');
    expect(welcome3?.text).toMatch(/NS-[A-Z0-9]{8}/);
    expect(shownProducts(welcome3)).toHaveLength(3);

    expect(byStep('lead-nurture', 'choose')?.text).toContain('nightshift_choice=a');
    expect(byStep('lead-nurture', 'default_1')?.subject).toContain(locale === 'fr' ? 'Nos coups de cœur' : 'Our favourites');
    expect(shownProducts(byStep('lead-nurture', 'default_2'))).toHaveLength(3);

    const reminder = byStep('abandoned-cart', 'email_1');
    expect(reminder?.text).toContain(cart.restoreUrl);
    expect(reminder?.text).toContain('Tempo');
    expect(reminder?.text).toContain(money(118, locale));
    expect(reminder?.text).toContain(money(163.9, locale));
    expect(reminder?.text).toMatch(/NS-[A-Z0-9]{8}/);
    const sms = byStep('abandoned-cart', 'sms');
    expect(sms?.text).toContain(COPY[locale].cartSms);
    expect(sms?.text).toContain(cart.restoreUrl);

    const birthday = byStep('vip-loyalty', 'birthday_email');
    expect(birthday?.text).toMatch(/NS-[A-Z0-9]{8}/);
  });

  it('the other branches: cart follow-up by email, replenishment by SMS, welcome without an answer', async () => {
    const { d, store } = await presetStore(`st_render_alt_${locale}`, locale);
    const contact = await presetContact(d, store, `alt@${locale}.test`, T0 - 200 * DAY);
    const order = await orderHistory(d, store, contact, 7000);
    const flows = [live('abandoned-cart', { followUpChannel: 'email' }), live('replenishment', { channel: 'sms' }), live('welcome')];
    const cart = { value: 34.9, itemCount: 1, lines: [{ productId: 101, quantity: 1, price: 34.9 }], restoreUrl: `https://${store.id}.shop.test/?nightshift_cart=t2` };
    const { messages, byStep } = await play(d, store, contact, flows, (s) => {
      s.emit({ type: 'order.paid', order });
      s.emit({ type: 'customer.created' }, T0 + 60_000);
      s.emit({ type: 'cart_updated', cart }, T0 + 3 * 3_600_000);
    }, T0 + 30 * DAY);
    for (const m of messages) expectWellFormed(m, locale);
    const followUp = byStep('abandoned-cart', 'email_2');
    expect(followUp?.text).toContain('Ignis');
    expect(followUp?.text).toContain(cart.restoreUrl);
    expect(byStep('replenishment', 'sms')?.text).toContain(`https://${store.id}.shop.test/?add-to-cart=200&quantity=2`);
    const welcome2 = byStep('welcome', 'email_2');
    expect(welcome2?.text).toContain(locale === 'fr' ? 'pas encore dit ce que vous aimez' : 'not told us yet what you like');
    expect(shownProducts(welcome2)).toHaveLength(3);
  });
});

describe('presets the guardrails and a store without coupon keys used to break', () => {
  it('a one-time buyer gets win-back under the default 90-day hibernation', async () => {
    const { d, store } = await presetStore('st_render_once', 'fr');
    const contact = await presetContact(d, store, 'once@fr.test', T0 - 10 * DAY);
    const order = await orderHistory(d, store, contact, 9000, 0);
    const { messages } = await play(d, store, contact, [live('win-back')], (s) => s.emit({ type: 'order.paid', order }), T0 + 100 * DAY);
    expect(messages.map((m) => [m.stepId, m.createdAt])).toEqual([['email', T0 + 60 * DAY]]);
  });

  it('without WooCommerce keys the milestone and birthday emails thank without promising a gift', async () => {
    for (const locale of ['fr', 'en'] as const) {
      const { d, store } = await presetStore(`st_render_nokeys_${locale}`, locale, { wooKeys: false });
      const contact = await presetContact(d, store, `nokeys@${locale}.test`, T0 - 200 * DAY);
      const order = await orderHistory(d, store, contact, 9100);
      const { messages, outcomes, byStep } = await play(d, store, contact, [live('vip-loyalty')], (s) => {
        s.emit({ type: 'order.paid', order });
        s.emit({ type: 'date.reached', properties: { field: 'birthday' } }, T0 + DAY);
      }, T0 + 3 * DAY);
      expect(outcomes.filter((o) => o.action.type === 'issue_coupon').map((o) => o.outcome.status)).toEqual(['skipped', 'skipped']);
      for (const m of messages) expectWellFormed(m, locale);
      for (const m of [byStep('vip-loyalty', 'loyalty_email'), byStep('vip-loyalty', 'birthday_email')]) {
        const all = `${m?.subject}\n${m?.html?.replace(/<head>[\s\S]*<\/head>/, '')}\n${m?.text}`;
        expect(all).not.toMatch(locale === 'fr' ? /cadeau|code|plaisir/i : /gift|code|treat/i);
      }
      expect(byStep('vip-loyalty', 'loyalty_email')?.text).toContain(locale === 'fr' ? 'Merci pour votre confiance.' : 'Thank you for your trust');
    }
  });
});

describe('every preset is covered', () => {
  it('lists each shipped flow', () => {
    expect(PRESETS.map((p) => p.id).sort()).toEqual(['abandoned-cart', 'lead-nurture', 'post-purchase', 'replenishment', 'vip-loyalty', 'welcome', 'win-back']);
  });
});
