import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { handleQueue } from '../../ingest/consumer';
import { SEND_QUEUE, type SendQueueMessage } from '../../messaging/email/send-queue';
import { createPostmarkFake } from '../../messaging/test/postmark-fake';
import { middayZone } from '../../test/clock';
import { contactAgentName } from '../domain-events';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const EMAIL = 'batch.shopper@example.com';

// Postmark takes only an HTTPS one-click unsubscribe target and the dev default base URL is plain
// http: the ContactAgent shares this env object, so the test gives it a production-like one.
const devBaseUrl = env.PUBLIC_BASE_URL;
beforeEach(() => void ((env as { PUBLIC_BASE_URL: string }).PUBLIC_BASE_URL = 'https://ns.example'));
afterEach(() => {
  (env as { PUBLIC_BASE_URL: string }).PUBLIC_BASE_URL = devBaseUrl;
  vi.restoreAllMocks();
});

describe('abandoned cart with a Postmark token', { timeout: 30_000 }, () => {
  it('the cascade email is handed off by the ContactAgent, queued by the send stage and sent once by the SEND consumer', async () => {
    const store = 'jb-postmark';
    const now = Date.now();
    await upsertStore(d(), {
      id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_batch_send', siteKey: `pk_${store}`,
      timezone: middayZone(now), createdAt: 1, updatedAt: 1,
    });
    await updateStoreSettings(d(), store, { postmarkServerToken: 'pm-journey', fromEmail: 'hello@shop.example' }, now);
    const patch = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
    expect(patch.status).toBe(200);
    const fake = createPostmarkFake('pm-journey');
    // The worker's own fetch (this consumer run and the real SEND queue's) reaches the fake.
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.startsWith(env.POSTMARK_BASE_URL) ? fake.fetch(url, init ?? {}) : realFetch(input, init);
    });

    await processCollectMessage(env, {
      kind: 'collect', storeId: store, trusted: true, visitorId: 'v_batch_visitor', receivedAt: now, ipHash: null, userAgent: null,
      events: [
        { id: 'evt_bident_01', type: 'identify', ts: now, email: EMAIL, firstName: 'Jo', consent: { emailMarketing: true }, source: 'checkout' },
        { id: 'evt_bcart_001', type: 'cart_updated', ts: now + 1, cart: { items: [{ productId: 10, quantity: 1, price: 20, name: 'Grill' }], value: 20, currency: 'EUR' } },
      ],
    });
    const contact = await findContactByEmail(d(), store, EMAIL);
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, contact!.id));
    const [idle] = (await agent.journeyStatus()).pendingTimers;
    await agent.runDue(idle!.dueAt);
    // The agent hands the email to the batched send stage (the real SEND queue's consumer) as an intent.
    await vi.waitFor(async () => expect(await listContactMessages(d(), store, contact!.id)).toHaveLength(1), { timeout: 10_000, interval: 50 });
    const [queued] = await listContactMessages(d(), store, contact!.id);
    expect(queued).toMatchObject({ channel: 'email', stepId: 'email_1', fromAddress: 'hello@shop.example', messageStream: 'broadcast' });
    expect(['queued', 'sending', 'sent']).toContain(queued!.status);
    expect(fake.sent.length).toBeLessThanOrEqual(1);

    const body: SendQueueMessage = { storeId: store, messageId: queued!.id };
    const batch = createMessageBatch(SEND_QUEUE, [{ id: 'send-1', timestamp: new Date(), attempts: 1, body }]);
    const ctx = createExecutionContext();
    await handleQueue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['send-1']);
    await vi.waitFor(async () => expect((await listContactMessages(d(), store, contact!.id))[0]?.status).toBe('sent'), { timeout: 10_000, interval: 50 });

    const [sent] = await listContactMessages(d(), store, contact!.id);
    expect(fake.sent).toHaveLength(1);
    expect(sent!.providerMessageId).toBe(fake.sent[0]!.MessageID);
    expect(fake.sent[0]).toMatchObject({ To: EMAIL, Subject: sent!.subject, HtmlBody: sent!.html, TextBody: sent!.text, MessageStream: 'broadcast' });
    expect(fake.sent[0]!.Metadata).toMatchObject({ send_id: sent!.id, store_id: store, contact_id: contact!.id, flow_id: 'abandoned-cart' });
    const headers = new Map((fake.sent[0]!.Headers ?? []).map((h) => [h.Name, h.Value]));
    expect(headers.get('List-Unsubscribe')).toBe(`<${sent!.listUnsubscribeUrl}>`);
    expect(headers.get('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    await agent.runDue(idle!.dueAt + 1);
    await handleQueue(createMessageBatch(SEND_QUEUE, [{ id: 'send-2', timestamp: new Date(), attempts: 2, body }]), env);
    expect(fake.sent).toHaveLength(1);
  });
});
