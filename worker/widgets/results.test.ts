import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findContactByEmail } from '../db/queries/contacts';
import { listContactMessages } from '../db/queries/messages';
import { upsertStore } from '../db/queries/stores';
import { widgetResultsOf } from '../db/queries/widgets';
import { processCollectMessage } from '../ingest/collect/collect-processor';
import type { CollectMessage } from '../ingest/messages';
import { creditWidgetOrders } from './results';

const d = () => db(env.DB);
const copy = { title: 'T', body: 'B', submit: 'S', thanks: 'Merci', consentEmail: 'Oui' };

async function seed(storeId: string) {
  await upsertStore(d(), { id: storeId, name: 'Braise', webhookSecret: `whsec_${storeId}_secret`, siteKey: `pk_${storeId}`, siteUrl: 'https://shop.example', createdAt: 1, updatedAt: 1 });
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}/widgets/welcome`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'popup', config: { copy: { fr: copy, en: copy } } }),
  });
  expect(res.status).toBe(200);
}

/** What ui.js sends on submit: an unsigned identify whose consent text version names the widget. */
function submit(storeId: string, email: string, textVersion: string): CollectMessage {
  const at = Date.now();
  const identify = { id: `evt_${textVersion.replace(/\W/g, '_')}`, type: 'identify', ts: at - 1000, email, source: 'popup', consent: { emailMarketing: true, textVersion } };
  return { kind: 'collect', storeId, trusted: false, visitorId: 'v_widget_visitor', receivedAt: at, ipHash: 'c'.repeat(64), userAgent: 'Browser/1', events: [identify] };
}

async function confirm(storeId: string, contactId: string) {
  const [message] = await listContactMessages(d(), storeId, contactId);
  const link = /http:\/\/localhost:8787\/p\/[A-Za-z0-9_.-]+/.exec(message!.text)![0];
  const nonce = /name="nonce" value="([^"]+)"/.exec(await (await SELF.fetch(link)).text())![1]!;
  const post = () => SELF.fetch(link, { method: 'POST', body: new URLSearchParams({ intent: 'confirm', nonce }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  expect((await post()).status).toBe(200);
  expect((await post()).status).toBe(200);
}

describe('widget results from the consent path', () => {
  it('counts a confirmed sign-up once, only after the double opt-in, then the first paid order once', async () => {
    await seed('wres');
    await processCollectMessage(env, submit('wres', 'fan@example.com', 'widget:welcome'));
    const contact = (await findContactByEmail(d(), 'wres', 'fan@example.com'))!;
    expect((await widgetResultsOf(d(), 'wres')).get('welcome')).toBeUndefined();
    await confirm('wres', contact.id);
    expect((await widgetResultsOf(d(), 'wres')).get('welcome')).toMatchObject({ confirmed: 1, order: 0 });

    const paid = { type: 'order.paid', storeId: 'wres', contactId: contact.id, occurredAt: Date.now() };
    await creditWidgetOrders(d(), [paid, { ...paid, type: 'order.placed' }]);
    await creditWidgetOrders(d(), [{ ...paid, occurredAt: Date.now() + 1 }]);
    expect((await widgetResultsOf(d(), 'wres')).get('welcome')).toMatchObject({ confirmed: 1, order: 1 });
  });

  it('credits nothing for another consent text or an unknown widget, and no order without a confirmed sign-up', async () => {
    await seed('wres-other');
    await processCollectMessage(env, submit('wres-other', 'a@example.com', 'popup-v3'));
    await processCollectMessage(env, submit('wres-other', 'b@example.com', 'widget:ghost'));
    for (const email of ['a@example.com', 'b@example.com']) await confirm('wres-other', (await findContactByEmail(d(), 'wres-other', email))!.id);
    const a = (await findContactByEmail(d(), 'wres-other', 'a@example.com'))!;
    await creditWidgetOrders(d(), [{ type: 'order.paid', storeId: 'wres-other', contactId: a.id, occurredAt: Date.now() }]);
    expect([...(await widgetResultsOf(d(), 'wres-other'))]).toEqual([]);
  });
});
