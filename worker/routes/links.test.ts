import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedExecutorContext } from '../contacts/executors/test/seed';
import type { ExecutorContext } from '../contacts/executors/types';
import { contactAgentName } from '../contacts/domain-events';
import { currentConsent } from '../db/queries/consents';
import { findContact } from '../db/queries/contacts';
import { listEventsOfContact } from '../db/queries/events';
import { listMessageClicks } from '../db/queries/message-clicks';
import { claimMessage } from '../db/queries/messages';
import { linkSigningKey } from '../db/queries/store-settings';
import { importTokenKey, signToken } from '../lib/tokens';
import { messageIdFor } from '../messaging/email/deliver';
import { clickUrl, openPixelUrl, unsubscribeUrl, type LinkSigning } from '../messaging/email/links';

const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);
const BASE = 'https://ns.test';

async function signing(ctx: ExecutorContext): Promise<LinkSigning> {
  return { baseUrl: BASE, key: await importTokenKey(await linkSigningKey(ctx.d, ctx.store.id, NOW)) };
}

/** A flow email as the send executor records it. */
async function sentMessage(ctx: ExecutorContext, enrollmentId = 'enr_1', nodeId = 'email_1') {
  const idempotencyKey = `${enrollmentId}:${nodeId}`;
  const id = await messageIdFor(ctx.store.id, idempotencyKey);
  await claimMessage(ctx.d, {
    id,
    storeId: ctx.store.id,
    contactId: ctx.contact.id,
    flowId: 'abandoned-cart',
    stepId: nodeId,
    enrollmentId,
    idempotencyKey,
    channel: 'email',
    subject: 'Hello',
    html: '<p>hi</p>',
    text: 'hi',
    to: ctx.contact.email ?? '',
    createdAt: NOW,
  });
  return id;
}

const get = (url: string, init: RequestInit = {}) => SELF.fetch(url, { redirect: 'manual', ...init });
const engagement = async (ctx: ExecutorContext) =>
  (await listEventsOfContact(ctx.d, ctx.store.id, ctx.contact.id)).filter((e) => e.type.startsWith('message.'));

describe('GET /c/:token', () => {
  it('records the click, tells the journeys once per link, and redirects to the signed URL', async () => {
    const ctx = await seedExecutorContext('links-click', NOW);
    const sendId = await sentMessage(ctx);
    const url = await clickUrl(await signing(ctx), sendId, 0, 'https://links-click.shop.test/product/grill?utm_source=ns');
    for (let i = 0; i < 2; i++) {
      const res = await get(url);
      expect(res.status).toBe(302);
      expect(res.headers.get('Location')).toBe('https://links-click.shop.test/product/grill?utm_source=ns');
      expect(res.headers.get('Cache-Control')).toContain('no-store');
    }
    expect(await listMessageClicks(ctx.d, 'links-click', sendId)).toHaveLength(2);
    const events = await engagement(ctx);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'message.clicked',
      eventKey: `click:${sendId}:0`,
      properties: { messageId: sendId, linkKey: null, message: { enrollmentId: 'enr_1', nodeId: 'email_1', url: 'https://links-click.shop.test/product/grill?utm_source=ns' } },
    });
    const agent = env.CONTACT_AGENT.getByName(contactAgentName('links-click', ctx.contact.id));
    expect((await agent.listEvents()).filter((e) => e.type === 'message.clicked').map((e) => e.id)).toEqual([`click:${sendId}:0`]);
  });

  it('never redirects a forged, edited, foreign or re-purposed token', async () => {
    const ctx = await seedExecutorContext('links-forged', NOW);
    const other = await seedExecutorContext('links-forged-other', NOW);
    const sendId = await sentMessage(ctx);
    const s = await signing(ctx);
    const good = await clickUrl(s, sendId, 0, 'https://links-forged.shop.test/');
    const token = good.slice(`${BASE}/c/`.length);
    const [body, mac] = token.split('.');
    const evilBody = btoa(JSON.stringify([sendId, 0, 'https://evil.example/'])).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const attempts = [
      `${BASE}/c/${evilBody}.${mac}`,
      `${BASE}/c/${body}.${mac?.slice(0, -2)}AA`,
      await clickUrl(await signing(other), sendId, 0, 'https://evil.example/'),
      `${BASE}/c/${await signToken(s.key, 'o', JSON.stringify([sendId, 0, 'https://evil.example/']))}`,
      `${BASE}/c/not-a-token`,
      `${BASE}/c/${body}`,
    ];
    for (const attempt of attempts) {
      const res = await get(attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.headers.get('Location')).toBeNull();
      expect(res.headers.get('Content-Type')).toContain('text/html');
    }
    expect(await listMessageClicks(ctx.d, 'links-forged', sendId)).toHaveLength(0);
    expect(await engagement(ctx)).toHaveLength(0);
  });
});

describe('GET /o/:token', () => {
  it('answers the GIF uncached on every hit and records the open once', async () => {
    const ctx = await seedExecutorContext('links-open', NOW);
    const sendId = await sentMessage(ctx, 'enr_9', 'email_2');
    const url = await openPixelUrl(await signing(ctx), sendId);
    for (const target of [url, url, `${BASE}/o/forged.token`]) {
      const res = await get(target);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('image/gif');
      expect(res.headers.get('Cache-Control')).toContain('no-store');
      expect(new Uint8Array(await res.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode('GIF89a'));
    }
    const events = await engagement(ctx);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'message.opened', properties: { messageId: sendId, message: { enrollmentId: 'enr_9', nodeId: 'email_2' } } });
  });
});

describe('/u/:token', () => {
  async function setup(storeId: string, locale: string | null = null) {
    const ctx = await seedExecutorContext(storeId, NOW, {}, locale ? { locale } : {});
    const url = await unsubscribeUrl(await signing(ctx), { storeId, contactId: ctx.contact.id, sendId: null });
    return { ctx, url };
  }

  it('GET shows a localized confirmation with a POST button and never unsubscribes by itself', async () => {
    const { ctx, url } = await setup('links-unsub-get');
    const res = await get(url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="fr"');
    expect(html).toContain('Me désabonner');
    expect(html).toMatch(/<form method="post" action="\/u\/[^"]+"/);
    const en = await setup('links-unsub-get-en', 'en-GB');
    expect(await (await get(en.url)).text()).toContain('>Unsubscribe</button>');
    expect((await findContact(ctx.d, 'links-unsub-get', ctx.contact.id))?.status).toBe('active');
    expect(await currentConsent(ctx.d, 'links-unsub-get', ctx.contact.id, 'email', 'marketing')).toBeUndefined();
  });

  it('POST unsubscribes at once (RFC 8058 one-click): 200, no redirect, ledger withdrawal, status unsubscribed', async () => {
    const { ctx, url } = await setup('links-unsub-post');
    const post = () =>
      get(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.headers.get('Location')).toBeNull();
    expect(await res.text()).toContain('désabonné');
    expect((await findContact(ctx.d, 'links-unsub-post', ctx.contact.id))?.status).toBe('unsubscribed');
    expect(await currentConsent(ctx.d, 'links-unsub-post', ctx.contact.id, 'email', 'marketing')).toMatchObject({ granted: false, source: 'unsubscribe' });
    expect((await post()).status).toBe(200);
  });

  it('rejects forged and re-purposed unsubscribe tokens without touching the contact', async () => {
    const { ctx, url } = await setup('links-unsub-forged');
    const s = await signing(ctx);
    const clickShaped = await signToken(s.key, 'c', JSON.stringify(['links-unsub-forged', ctx.contact.id, null]));
    for (const target of [`${url}x`, `${BASE}/u/${clickShaped}`]) {
      expect((await get(target, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
      expect((await get(target)).status).toBe(404);
    }
    expect((await findContact(ctx.d, 'links-unsub-forged', ctx.contact.id))?.status).toBe('active');
  });
});
