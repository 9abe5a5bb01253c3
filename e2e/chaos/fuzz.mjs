// About 2,000 seeded, malformed or hostile requests across every route: mutated beacons (browser and signed),
// mutated WooCommerce and Postmark deliveries with valid credentials (so they pass authentication and reach
// parsing), bad signatures, random link tokens, random admin API and dashboard calls. Every answer must be
// a 2xx–4xx: a 5xx (or a dropped connection) is a defect.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nightshiftSignature, repoRoot, wooSignature } from '../lib/local-worker.mjs';
import { loadWooFixtures, moreFixturesDir } from '../lib/woo-fixtures.mjs';
import { d1Read, pool, prng } from './harness.mjs';

export const FUZZ_STORE = { id: 'chaos-fuzz', webhookSecret: `whsec_chaos_fuzz_${randomBytes(6).toString('hex')}` };
const ORIGIN = 'https://shop.example';
const PM_USER = 'chaos-user';
const PM_PASSWORD = `chaos-${randomBytes(6).toString('hex')}`;
const postmarkDir = join(repoRoot, '..', 'shared', 'fixtures', 'postmark');
const POSTMARK = ['bounce', 'click', 'delivery', 'open', 'spam-complaint', 'subscription-change'].map((n) =>
  JSON.parse(readFileSync(join(postmarkDir, `${n}.json`), 'utf8')),
);

const ODD_VALUES = [null, true, -1, 0, 1e308, -1e308, 2 ** 53 + 1, '', ' ', 'x'.repeat(5000), '<script>alert(1)</script>', '\u0000', '💥', [], {}, [[[[]]]], { a: { b: { c: {} } } }, '2026-13-45T99:99:99', 'NaN', '../../etc/passwd', "'; DROP TABLE contacts; --"];

function paths(value, prefix = []) {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths(value[k], [...prefix, k]))];
}

/**
 * Zero to three structural mutations of a JSON value: delete a key, replace a value by an odd one, nest deeply.
 * Zero leaves a valid request now and then, so the consumers behind the routes are exercised too.
 */
export function mutateJson(value, rng) {
  const copy = structuredClone(value);
  for (let n = rng.int(4); n > 0; n--) {
    const all = paths(copy).filter((p) => p.length > 0);
    if (!all.length) break;
    const path = rng.pick(all);
    const parent = path.slice(0, -1).reduce((o, k) => o[k], copy);
    const key = path[path.length - 1];
    const op = rng.int(3);
    if (op === 0 && !Array.isArray(parent)) delete parent[key];
    else if (op === 1) parent[key] = structuredClone(rng.pick(ODD_VALUES));
    else parent[key] = Array.from({ length: 1 + rng.int(3) }, () => structuredClone(parent[key]));
  }
  return copy;
}

/** Sometimes the serialised body is also cut short or given bytes that are not UTF-8. */
function damage(text, rng) {
  const roll = rng.int(10);
  if (roll === 0) return Buffer.from(text.slice(0, rng.int(text.length + 1)));
  if (roll === 1) return Buffer.concat([Buffer.from(text), rng.bytes(1 + rng.int(40))]);
  return Buffer.from(text);
}

const beacon = (rng) => ({
  siteKey: `pk_${FUZZ_STORE.id}`,
  visitorId: `v_fuzz_${rng.int(1e9)}`,
  events: [
    { id: `e_fuzz_${rng.int(1e9)}`, type: 'page_view', ts: Date.now(), url: `${ORIGIN}/p/${rng.int(100)}` },
    { id: `e_fuzz_${rng.int(1e9)}`, type: 'cart_updated', ts: Date.now(), cart: { items: [{ productId: 1 + rng.int(50), quantity: 1, price: 9.5 }], value: 9.5, currency: 'EUR' } },
    { id: `e_fuzz_${rng.int(1e9)}`, type: 'identify', ts: Date.now(), email: `fuzz${rng.int(1e6)}@example.com`, consent: { emailMarketing: rng.int(2) === 1 } },
  ],
});

function generators({ worker, rng, woo, realTokens }) {
  const collectHeaders = (ct) => ({ 'Content-Type': ct, Origin: ORIGIN });
  return [
    () => ({ method: 'POST', path: '/collect', headers: collectHeaders(rng.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', ''])), body: damage(JSON.stringify(mutateJson(beacon(rng), rng)), rng) }),
    () => {
      const body = JSON.stringify({ ...mutateJson({ ...beacon(rng), siteKey: undefined }, rng), store: FUZZ_STORE.id });
      return { method: 'POST', path: '/collect', headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': nightshiftSignature(FUZZ_STORE.webhookSecret, body) }, body };
    },
    () => ({ method: 'POST', path: '/collect', headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': rng.pick(['', 't=1,v1=00', `t=${Date.now()},v1=${'a'.repeat(64)}`, 'garbage', `t=${Math.floor(Date.now() / 1000)}`]) }, body: JSON.stringify({ store: FUZZ_STORE.id, visitorId: 'v_fuzz_sig_1', events: [] }) }),
    () => {
      const f = rng.pick(woo);
      const body = damage(JSON.stringify(mutateJson(f.json, rng)), rng);
      const headers = { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': rng.int(5) ? f.topic : rng.pick(['order.exploded', '', 'action.x']), 'X-WC-Webhook-Resource': f.topic.split('.')[0], 'X-WC-Webhook-Event': f.topic.split('.')[1], 'X-WC-Webhook-ID': String(rng.int(50)), 'X-WC-Webhook-Delivery-ID': randomBytes(16).toString('hex'), 'X-WC-Webhook-Signature': wooSignature(FUZZ_STORE.webhookSecret, body) };
      return { method: 'POST', path: `/webhooks/woocommerce/${FUZZ_STORE.id}`, headers, body };
    },
    () => ({ method: 'POST', path: `/webhooks/woocommerce/${rng.pick([FUZZ_STORE.id, 'no-such-store', '..', '%00', 'x'.repeat(300)])}`, headers: { 'Content-Type': rng.pick(['application/json', 'application/x-www-form-urlencoded']), 'X-WC-Webhook-Signature': randomBytes(32).toString('base64') }, body: rng.bytes(rng.int(3000)) }),
    () => ({ method: 'POST', path: `/webhooks/postmark/${FUZZ_STORE.id}`, headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${PM_USER}:${rng.int(4) ? PM_PASSWORD : 'wrong'}`).toString('base64')}`, 'X-PM-Webhook-Trace-Id': randomBytes(8).toString('hex') }, body: damage(JSON.stringify(mutateJson(rng.pick(POSTMARK), rng)), rng) }),
    () => ({ method: 'POST', path: `/webhooks/sms/${rng.pick([FUZZ_STORE.id, 'nope'])}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': randomBytes(20).toString('base64') }, body: `From=%2B336${rng.int(1e8)}&Body=${rng.pick(['STOP', 'START', 'ARRET', '', '%FF%FE'])}&To=%2B331` }),
    () => {
      const kind = rng.pick(['c', 'o', 'u', 'p']);
      const real = realTokens.length && rng.int(2) ? rng.pick(realTokens) : randomBytes(1 + rng.int(60)).toString('base64url');
      const token = rng.int(2) ? real : `${real.slice(0, -2)}${randomBytes(1).toString('hex')}`;
      return { method: rng.pick(['GET', 'POST', 'HEAD']), path: `/${kind}/${token}${rng.int(3) ? '' : '?u=https%3A%2F%2Fevil.example'}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: rng.int(2) ? 'nonce=x&email=1&List-Unsubscribe=One-Click' : undefined };
    },
    () => {
      const store = rng.pick([FUZZ_STORE.id, 'nope', '', '%20']);
      const path = rng.pick([
        `/api/contacts?store=${store}&limit=${rng.pick(['-1', '0', 'abc', '999999', '1e9', ''])}&email=${rng.pick(['', '%40', 'a@b', 'x'.repeat(300)])}`,
        `/api/contacts/${rng.pick(['c_1', '../x', 'x'.repeat(500), '%00'])}?store=${store}&events=${rng.pick(['-5', 'x', '100000'])}`,
        `/api/orders?store=${store}&contact=${rng.int(1e6)}&limit=${rng.pick(['0', 'x', '-3'])}`,
        `/api/messages?store=${store}&contact=${rng.pick(['', 'c_x'])}`,
        `/api/flows/${rng.pick(['abandoned-cart', 'nope', 'welcome'])}?store=${store}`,
        `/api/stores/${store}`,
        `/api/audiences/${rng.pick(['retargeting', 'x', '%2e%2e'])}/export.csv?store=${store}`,
      ]);
      return { method: 'GET', path, headers: { Authorization: `Bearer ${worker.adminToken}` } };
    },
    () => {
      const target = rng.pick(['settings', 'guardrails', 'privacy', 'reputation/thresholds']);
      const body = damage(JSON.stringify(mutateJson({ fromEmail: 'a@b.c', capPerDay: 3, quietHours: { start: '22:00', end: '08:00' }, doubleOptIn: true, bounceRate: 0.05 }, rng)), rng);
      return { method: 'PATCH', path: `/api/stores/${FUZZ_STORE.id}/${target}`, headers: { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' }, body };
    },
    () => {
      const body = damage(JSON.stringify(mutateJson({ enabled: rng.int(2) === 1, settings: { idleDelay: '1h', openWindow: '2 j', incentiveEnabled: true } }, rng)), rng);
      return { method: 'PATCH', path: `/api/flows/${rng.pick(['abandoned-cart', 'welcome', 'nope'])}?store=${FUZZ_STORE.id}`, headers: { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' }, body };
    },
    () => ({ method: 'POST', path: '/api/stores', headers: { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' }, body: damage(JSON.stringify(mutateJson({ id: `fz-${rng.int(1e6)}`, name: 'F', siteUrl: 'https://f.example', timezone: 'Europe/Paris', currency: 'EUR', locale: 'fr' }, rng)), rng) }),
    () => ({ method: rng.pick(['GET', 'POST']), path: rng.pick(['/admin/login', '/admin/stores', `/admin/stores/${FUZZ_STORE.id}`, `/admin/stores/${FUZZ_STORE.id}/flows`, `/admin/stores/${FUZZ_STORE.id}/messages/x`, `/admin/stores/${FUZZ_STORE.id}/contacts?email=%40`, '/admin/logout']) + (rng.int(2) ? '' : `?lang=${rng.pick(['xx', 'fr', '', '%00'])}&next=${rng.pick(['//evil.example', '/admin', 'javascript:alert(1)'])}`), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: rng.pick([worker.url, 'https://evil.example']), Cookie: rng.pick(['', 'ns_session=forged.value', `ns_session=${randomBytes(40).toString('base64url')}`]) }, body: undefined }),
    () => ({ method: rng.pick(['GET', 'POST', 'OPTIONS']), path: `/widgets/prompt${rng.int(2) ? `/${rng.pick(['x', '1', "'"])}/dismiss` : ''}?store=${rng.pick([FUZZ_STORE.id, 'nope'])}&visitorId=${rng.pick(['v_fuzz_1', '', 'x'.repeat(100)])}`, headers: { Origin: rng.pick([ORIGIN, 'https://evil.example']) } }),
    () => ({ method: rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']), path: rng.pick(['/', '/healthz', '/tracker.js?store=x', '/nope', '/api', '/api/', '/webhooks', '/collect?x=%ZZ', `/${'a/'.repeat(100)}`]), headers: {} }),
  ];
}

export async function fuzzScenario({ worker, fetcher, tally, admin, count = Number(process.env.CHAOS_FUZZ ?? 2000) }) {
  await admin.patch(`/api/stores/${FUZZ_STORE.id}/settings`, { postmarkWebhookUser: PM_USER, postmarkWebhookPassword: PM_PASSWORD });
  const seed = Number(process.env.CHAOS_SEED ?? 20261202);
  const rng = prng(seed);
  const woo = [...loadWooFixtures(), ...loadWooFixtures(moreFixturesDir)];
  // Real link tokens from messages already sent in this run (the identify flood's confirmations), to tamper with.
  const { contacts } = await admin.get('/api/contacts?store=demo&limit=5');
  const sent = await Promise.all(contacts.map((c) => admin.get(`/api/messages?store=demo&contact=${c.id}`)));
  const realTokens = sent
    .flatMap((r) => r.messages)
    .flatMap((m) => `${m.text} ${m.html ?? ''}`.match(/\/[cuop]\/([A-Za-z0-9._~-]+)/g) ?? [])
    .map((p) => p.slice(3));
  const gens = generators({ worker, rng, woo, realTokens });
  const requests = Array.from({ length: count }, () => rng.pick(gens)());
  tally.notes.push(`seed ${seed}`);
  const statuses = new Map();
  await pool(requests, 8, async (r) => {
    try {
      const res = await fetcher(`${worker.url}${r.path}`, { method: r.method, headers: r.headers, body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body, redirect: 'manual' });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    } catch {
      // counted by the fetcher
    }
  });
  const [parked] = await d1Read(`SELECT count(*) AS n FROM ingest_failures WHERE store_id = '${FUZZ_STORE.id}'`, worker.persistTo);
  tally.notes.push(`parked by the consumer after the routes accepted them: ${parked.n}`);
  tally.notes.push(`answers: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  // The harness must sign correctly, or the signed generators would only ever exercise the 401 path.
  const probe = JSON.stringify({ store: FUZZ_STORE.id, visitorId: 'v_fuzz_probe_1', events: [{ id: 'e_fuzz_probe_1', type: 'page_view', ts: Date.now(), url: `${ORIGIN}/` }] });
  const res = await fetcher(`${worker.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': nightshiftSignature(FUZZ_STORE.webhookSecret, probe) }, body: probe });
  if (res.status !== 204) throw new Error(`the harness's own signed probe was answered ${res.status}`);
}
