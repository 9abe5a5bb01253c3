import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { executeSendEmail } from '../contacts/executors/send-email';
import { db } from '../db/client';
import { listContactProperties, setContactTag } from '../db/queries/contact-tags';
import { findContactByEmail } from '../db/queries/contacts';
import { listContactMessages } from '../db/queries/messages';
import { linkSigningKey } from '../db/queries/store-settings';
import { findStore, upsertStore } from '../db/queries/stores';
import { processCollectMessage } from '../ingest/collect/collect-processor';
import type { SendEmailAction } from '../journeys/actions';
import { importTokenKey } from '../lib/tokens';
import { readClickToken } from '../messaging/email/links';
import { segmentMembers } from '../db/schema';
import { middayZone } from '../test/clock';
import { completeSender } from '../test/sender';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);

const WORDING = {
  fr: { subject: 'Pour vous', new: 'Nos nouveautés, rien que pour vous.', deals: 'Les bonnes affaires de la semaine.', vip: 'Merci, fidèle client.', hot: 'Vous hésitez encore ? Voici notre sélection.' },
  en: { subject: 'For you', new: 'Our new arrivals, just for you.', deals: 'This week’s good deals.', vip: 'Thank you, loyal customer.', hot: 'Still deciding? Here is our pick.' },
};

/** The owner's welcome email 2 built from blocks: one block per welcome choice, one for a tag. */
function blocks(lang: 'fr' | 'en') {
  const w = WORDING[lang];
  return [
    { type: 'heading', text: w.subject },
    { type: 'if', property: 'interest', equals: 'new', blocks: [{ type: 'text', text: w.new }] },
    { type: 'if', property: 'interest', equals: 'deals', blocks: [{ type: 'text', text: w.deals }] },
    { type: 'if', tag: 'vip', blocks: [{ type: 'text', text: w.vip }] },
    { type: 'if', segment: 'hot-lead', blocks: [{ type: 'text', text: w.hot }] },
  ];
}

async function shop(id: string, locale: 'fr' | 'en') {
  await upsertStore(d(), { id, name: 'Maison Choix', siteUrl: 'https://shop.example', webhookSecret: `whsec_${id}_0123456789`, siteKey: `pk_${id}`, locale, timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1 });
  await completeSender(d(), id);
  expect((await SELF.fetch(`https://ns.test/api/flows/welcome?store=${id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) })).status).toBe(200);
  const put = await SELF.fetch(`https://ns.test/api/flows/welcome/messages/email_2?store=${id}&lang=${locale}`, {
    method: 'PUT', headers: auth, body: JSON.stringify({ subject: WORDING[locale].subject, preheader: '', blocks: blocks(locale) }),
  });
  expect(put.status).toBe(200);
}

/** Subscribes, clicks `choice` in welcome email 1 (the real click route), then sends email 2 as the flow would. */
async function chooseAndReceive(storeId: string, email: string, choice: string, tag?: string, segment?: string) {
  const ts = Date.now();
  await processCollectMessage(env, {
    kind: 'collect', storeId, trusted: true, visitorId: `v_${storeId}`, receivedAt: ts, ipHash: null, userAgent: null,
    events: [{ id: `evt_${storeId}`, type: 'identify', ts, email, consent: { emailMarketing: true }, source: 'checkout' }],
  });
  const contact = (await findContactByEmail(d(), storeId, email))!;
  const [first] = await listContactMessages(d(), storeId, contact.id);
  expect(first?.stepId).toBe('email_1');
  const key = await importTokenKey(await linkSigningKey(d(), storeId, 0));
  let clicked = false;
  for (const [path, token] of (first?.html ?? '').matchAll(/\/c\/([A-Za-z0-9_.-]+)/g)) {
    const target = await readClickToken(key, token ?? '');
    if (target && new URL(target.url).searchParams.get('nightshift_choice') === choice) {
      expect((await SELF.fetch(`https://ns.test${path}`, { redirect: 'manual' })).status).toBe(302);
      clicked = true;
      break;
    }
  }
  expect(clicked).toBe(true);
  expect(await listContactProperties(d(), storeId, contact.id)).toMatchObject({ interest: choice });
  if (tag) await setContactTag(d(), storeId, contact.id, tag, true, ts);
  // Membership as the segment runs keep it (worker/segments/dynamic/membership.ts).
  if (segment) await d().insert(segmentMembers).values({ storeId, segmentId: segment, contactId: contact.id, since: ts });
  const action: SendEmailAction = {
    type: 'send_email', template: 'welcome.2', context: { coupons: [] }, params: {}, choices: [], products: [], categories: [],
    idempotencyKey: `enr-${storeId}:email_2`, flowId: 'welcome', flowVersion: 1, enrollmentId: `enr-${storeId}`, nodeId: 'email_2',
  };
  const store = (await findStore(d(), storeId))!;
  const fresh = (await findContactByEmail(d(), storeId, email))!;
  expect(await executeSendEmail({ env, d: d(), store, contact: fresh, now: Date.now() }, action)).toEqual({ status: 'done' });
  return (await listContactMessages(d(), storeId, contact.id)).find((m) => m.stepId === 'email_2');
}

describe('conditional blocks on what the contact told us', () => {
  it('a welcome choice becomes the contact property `interest`, and email 2 shows that choice’s block (fr)', async () => {
    await shop('cb-fr', 'fr');
    const message = await chooseAndReceive('cb-fr', 'nouveau@example.com', 'new');
    expect(message?.subject).toBe('Pour vous');
    expect(message?.html).toContain(WORDING.fr.new);
    expect(message?.html).not.toContain(WORDING.fr.deals);
    expect(message?.html).not.toContain(WORDING.fr.vip);
    expect(message?.html).not.toContain(WORDING.fr.hot);
    expect(message?.text).toContain(WORDING.fr.new);
  });

  it('another choice, a tag and a segment show their blocks instead (en)', async () => {
    await shop('cb-en', 'en');
    const message = await chooseAndReceive('cb-en', 'deals@example.com', 'deals', 'vip', 'hot-lead');
    expect(message?.subject).toBe('For you');
    expect(message?.html).toContain(WORDING.en.deals);
    expect(message?.html).not.toContain(WORDING.en.new);
    expect(message?.html).toContain(WORDING.en.vip);
    expect(message?.html).toContain(WORDING.en.hot);
    expect(message?.text).toContain(WORDING.en.hot);
  });

  it('refuses a condition that could break out of its Liquid test', async () => {
    await shop('cb-bad', 'fr');
    const bad = await SELF.fetch('https://ns.test/api/flows/welcome/messages/email_2?store=cb-bad&lang=fr', {
      method: 'PUT', headers: auth, body: JSON.stringify({ subject: 'x', preheader: '', blocks: [{ type: 'if', property: 'interest', equals: 'a" or true or "', blocks: [{ type: 'text', text: 'x' }] }] }),
    });
    expect(bad.status).toBe(400);
  });
});
