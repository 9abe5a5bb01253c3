// What the enabled flows did in the demo history: ended enrollments (running ones only ever come from live
// events, whose timers live in the ContactAgent) and the messages they sent, keyed exactly like the product's:
// enrollment `<contact>:<flow>:<n>`, idempotency key `<enrollment>:<node>`, message id from messageIdFor().
import { createHash } from 'node:crypto';
import { PRODUCTS, imageUrl, productUrl } from './catalogue.mjs';
import { DAY, STORE } from './commerce.mjs';
import { rng } from './history.mjs';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const DEMO_FLOWS = ['welcome', 'abandoned-cart', 'post-purchase', 'win-back'];

/** worker/messaging/email/deliver.ts messageIdFor(), in Node. */
export const messageIdFor = (key) => `snd_${createHash('sha256').update(`${STORE}\n${key}`).digest('hex').slice(0, 24)}`;

const reachable = (c, at) => c.consentAt !== null && c.consentAt <= at && (c.unsubscribedAt === null || c.unsubscribedAt > at);

function recommendations(shop, exclude, seed) {
  const r = rng(seed);
  const pool = PRODUCTS.filter((p) => !exclude.includes(p.id));
  const picks = new Set();
  while (picks.size < 3) picks.add(pool[Math.floor(r() * pool.length)]);
  return [...picks].map((p) => ({ name: p.name, url: productUrl(shop, p), image_url: imageUrl(shop, p), price: p.price }));
}

function journeyBuilder(endDay) {
  const enrollments = [];
  const sends = [];
  const seq = new Map();
  const enroll = (contact, flowId, enteredAt) => {
    const n = (seq.get(`${contact.id}:${flowId}`) ?? 0) + 1;
    seq.set(`${contact.id}:${flowId}`, n);
    // A letter keeps seeded ids apart from the agent's own numeric sequence, so a live enrollment never reuses one.
    const e = { id: `${contact.id}:${flowId}:demo${n}`, contact, flowId, enteredAt, status: 'completed', exitReason: null, converted: false, endedAt: null };
    enrollments.push(e);
    return e;
  };
  const send = (e, nodeId, at, content) => {
    if (at >= endDay) return false;
    const key = `${e.id}:${nodeId}`;
    sends.push({ id: messageIdFor(key), key, enrollment: e, nodeId, at, ...content });
    e.endedAt = at;
    return true;
  };
  return { enrollments, sends, enroll, send };
}

export function buildJourneys(model, carts, { endDay, shop }) {
  const j = journeyBuilder(endDay);
  for (const c of model.leads) {
    const e = j.enroll(c, 'welcome', c.createdAt + MIN);
    const recs = recommendations(shop, [], c.n);
    j.send(e, 'email_1', c.createdAt + 2 * MIN, { template: 'welcome.1', data: { choices: [] } });
    j.send(e, 'email_2', c.createdAt + 2 * DAY, { template: 'welcome.2', data: { recommendations: recs } });
    j.send(e, 'email_3', c.createdAt + 5 * DAY, { template: 'welcome.3', data: { recommendations: recs, coupon: { code: `BIENVENUE-${c.n}`, amount: '10 %' } } });
    e.converted = c.orders.length > 0;
  }
  for (const cart of carts) {
    if (!cart.contact || !reachable(cart.contact, cart.at)) continue;
    const reminderAt = cart.at + 30 * MIN;
    const paidAt = cart.order ? cart.order.createdAt + MIN : Infinity;
    if (paidAt < reminderAt) continue;
    const e = j.enroll(cart.contact, 'abandoned-cart', cart.at);
    const r = rng(Math.floor(cart.at / MIN));
    const cartData = { lines: cart.lines.map((l) => ({ name: l.product.name, quantity: l.quantity, price: l.product.price, image_url: imageUrl(shop, l.product), url: productUrl(shop, l.product) })), total: model.cartOf(cart.lines).value, restore_url: `${shop}/panier` };
    j.send(e, 'email_1', reminderAt, { template: 'cart.reminder.1', data: { cart: cartData } });
    if (cart.contact.smsConsent && r() < 0.5 && reminderAt + HOUR < paidAt) {
      j.send(e, 'sms', reminderAt + HOUR, { sms: 'cart.reminder.sms', data: { cart: cartData } });
    }
    if (paidAt < cart.at + DAY) Object.assign(e, { status: 'exited', exitReason: 'event:order.paid', endedAt: paidAt, converted: true });
    else Object.assign(e, { endedAt: Math.min(cart.at + DAY, endDay - MIN), converted: paidAt < cart.at + 7 * DAY });
  }
  for (const c of model.contacts) buildOrderJourneys(j, c, model, { endDay, shop });
  return { enrollments: j.enrollments, sends: j.sends };
}

/** post-purchase (three steps after each order) and win-back (one email once the customer is overdue). */
function buildOrderJourneys(j, c, model, { endDay, shop }) {
  const orders = c.orders.filter((o) => !o.refunded);
  const gaps = orders.slice(1).map((o, i) => (o.createdAt - orders[i].createdAt) / DAY).sort((a, b) => a - b);
  const overdueDays = gaps.length ? Math.max(14, 1.5 * gaps[Math.floor(gaps.length / 2)]) : 90;
  for (const [i, o] of orders.entries()) {
    const paidAt = o.createdAt + MIN;
    if (paidAt < model.installedAt || !reachable(c, paidAt)) continue;
    const next = orders[i + 1]?.createdAt ?? Infinity;
    const product = o.lines[0].product;
    const bought = { name: product.name, url: productUrl(shop, product), image_url: imageUrl(shop, product), price: product.price };
    buildPostPurchase(j, c, o, { paidAt, next, bought, endDay, shop });
    const due = paidAt + overdueDays * DAY;
    if (next >= due && due >= endDay) continue;
    const wb = j.enroll(c, 'win-back', paidAt);
    if (next < due) Object.assign(wb, { status: 'exited', exitReason: 'event:order.placed', endedAt: next });
    else j.send(wb, 'email', due, { template: 'winback.1', data: { recommendations: recommendations(shop, [], o.id), coupon: { code: `RETOUR-${o.id}`, amount: '15 %' } } });
  }
}

function buildPostPurchase(j, c, o, { paidAt, next, bought, endDay, shop }) {
    if (next >= paidAt + 51 * DAY && paidAt + 51 * DAY >= endDay) return;
    const pp = j.enroll(c, 'post-purchase', paidAt);
    const steps = [['step_1', 7], ['step_2', 21], ['step_3', 51]];
    for (const [node, days] of steps) {
      const at = paidAt + days * DAY;
      if (at >= next || at >= endDay) break;
      j.send(pp, node, at, { template: 'post_purchase.next', data: { product: bought, recommendations: recommendations(shop, [o.lines[0].product.id], o.id + days) } });
    }
    if (next < paidAt + 51 * DAY) Object.assign(pp, { status: 'exited', exitReason: 'restarted', endedAt: next });
}
