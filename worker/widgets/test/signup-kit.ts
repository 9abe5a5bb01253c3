import { SELF, env } from 'cloudflare:test';
import { expect } from 'vitest';
import { db } from '../../db/client';
import { listContactMessages } from '../../db/queries/messages';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import type { CollectMessage } from '../../ingest/messages';

export const d = () => db(env.DB);
const copy = { title: 'T', body: 'B', submit: 'S', thanks: 'Merci', consentEmail: 'Oui' };

/** A store (in `locale`) with one pop-up `welcome`, saved through the API like the dashboard does. */
export async function seedWidgetStore(storeId: string, opts: { locale?: string; config?: Record<string, unknown>; siteUrl?: string } = {}) {
  const store = { id: storeId, name: 'Braise', webhookSecret: `whsec_${storeId}_secret`, siteKey: `pk_${storeId}`, siteUrl: opts.siteUrl ?? 'https://shop.example' };
  await upsertStore(d(), { ...store, ...(opts.locale ? { locale: opts.locale } : {}), createdAt: 1, updatedAt: 1 });
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}/widgets/welcome`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'popup', config: { copy: { fr: copy, en: copy }, ...opts.config } }),
  });
  expect(res.status).toBe(200);
}

/** What ui.js sends on submit: an unsigned identify whose consent text version names the widget. */
export async function submitWidget(storeId: string, email: string, textVersion = 'widget:welcome', visitorId = 'v_widget_visitor') {
  const at = Date.now();
  const identify = { id: `evt_${textVersion.replace(/\W/g, '_')}_${email.replace(/\W/g, '_')}`, type: 'identify', ts: at - 1000, email, source: 'popup', consent: { emailMarketing: true, textVersion } };
  const message: CollectMessage = { kind: 'collect', storeId, trusted: false, visitorId, receivedAt: at, ipHash: 'c'.repeat(64), userAgent: 'Browser/1', events: [identify] };
  await processCollectMessage(env, message);
}

/** Follows the confirmation email's link as the shopper does, twice (the second click changes nothing). */
export async function confirmFromMailbox(storeId: string, contactId: string) {
  const message = (await listContactMessages(d(), storeId, contactId)).find((m) => m.idempotencyKey.startsWith('consent-confirm:'));
  const link = /http:\/\/localhost:8787\/p\/[A-Za-z0-9_.-]+/.exec(message!.text)![0];
  const nonce = /name="nonce" value="([^"]+)"/.exec(await (await SELF.fetch(link)).text())![1]!;
  const post = () => SELF.fetch(link, { method: 'POST', body: new URLSearchParams({ intent: 'confirm', nonce }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  expect((await post()).status).toBe(200);
  expect((await post()).status).toBe(200);
}
