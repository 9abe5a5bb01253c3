// Attacks on identity and erasure: a flood of concurrent browser identifies for one new address (one
// confirmation email may go out, not twenty), and an erased customer whose old order delivery comes back
// (the contact must stay erased).
import { randomBytes } from 'node:crypto';
import { DEMO } from '../lib/local-worker.mjs';
import { paidOrderDelivery } from '../lib/journey-kit.mjs';
import { pool, sleep } from './harness.mjs';

export const ERASE_STORE = { id: 'chaos-erase', webhookSecret: `whsec_chaos_erase_${randomBytes(4).toString('hex')}` };
const FLOOD = 20;

async function contactsWith(admin, storeId, email) {
  return (await admin.get(`/api/contacts?store=${storeId}&email=${encodeURIComponent(email)}`)).contacts;
}

export async function identifyFloodScenario({ worker, fetcher, admin, tally }) {
  const email = `chaos.flood+${randomBytes(4).toString('hex')}@example.com`;
  const origin = DEMO.origins[0];
  await pool(Array.from({ length: FLOOD }, (_, i) => i), FLOOD, async (i) => {
    const body = JSON.stringify({
      siteKey: DEMO.siteKey,
      visitorId: `v_chaos_flood_${i}_${randomBytes(3).toString('hex')}`,
      events: [{ id: `e_chaos_flood_${i}_${randomBytes(3).toString('hex')}`, type: 'identify', ts: Date.now(), email, source: 'popup', consent: { emailMarketing: true, textVersion: 'popup-2026-11' } }],
    });
    const res = await fetcher(`${worker.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: origin }, body });
    await res.arrayBuffer();
  });
  // One confirmation is due; give the queue time to deliver every copy before counting.
  let confirmations = 0;
  for (let i = 0; i < 30; i++) {
    await sleep(1_000);
    const contacts = await contactsWith(admin, DEMO.storeId, email);
    const all = await Promise.all(contacts.map((c) => admin.get(`/api/messages?store=${DEMO.storeId}&contact=${c.id}`)));
    confirmations = all.flatMap((r) => r.messages).filter((m) => m.to === email).length;
    if (confirmations > 0 && i >= 8) break;
  }
  if (confirmations > 1) tally.duplicates += confirmations - 1;
  if (confirmations === 0) tally.lost += 1;
  tally.notes.push(`flood: ${FLOOD} identifies → ${confirmations} confirmation email(s)`);
}

export async function erasureScenario({ worker, fetcher, admin, tally }) {
  const email = `chaos.erase+${randomBytes(4).toString('hex')}@example.com`;
  const orderId = 800_000 + Math.floor(Math.random() * 99_999);
  const placedAt = Date.now() - 3_600_000;
  const url = `${worker.url}/webhooks/woocommerce/${ERASE_STORE.id}`;
  const first = paidOrderDelivery({ secret: ERASE_STORE.webhookSecret, email, orderId, now: placedAt });
  await (await fetcher(url, { method: 'POST', headers: first.headers, body: first.body })).arrayBuffer();
  let contact;
  for (let i = 0; i < 40 && !contact; i++) {
    await sleep(500);
    contact = (await contactsWith(admin, ERASE_STORE.id, email))[0];
  }
  if (!contact) {
    tally.lost += 1;
    tally.notes.push('erasure: the order never created its contact');
    return;
  }
  await admin.del(`/api/contacts/${contact.id}?store=${ERASE_STORE.id}`);
  // WooCommerce resends the same old update (new delivery id), and the original delivery is replayed too.
  const stale = paidOrderDelivery({ secret: ERASE_STORE.webhookSecret, email, orderId, now: placedAt });
  for (const d of [stale, first]) await (await fetcher(url, { method: 'POST', headers: d.headers, body: d.body })).arrayBuffer();
  await sleep(5_000);
  const back = await contactsWith(admin, ERASE_STORE.id, email);
  if (back.length) {
    tally.other += 1;
    tally.notes.push(`erasure: contact recreated by a stale delivery (${back.map((c) => c.id).join(', ')})`);
  }
  const orders = (await admin.get(`/api/orders?store=${ERASE_STORE.id}`)).orders.filter((o) => o.id === orderId);
  if (orders.length) {
    tally.other += 1;
    tally.notes.push(`erasure: order ${orderId} recreated`);
  }
}
