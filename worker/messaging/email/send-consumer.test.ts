import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContact, findOrCreateContactByEmail } from '../../db/queries/contacts';
import { claimMessage, findMessage, type NewMessage } from '../../db/queries/messages';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { handleQueue } from '../../ingest/consumer';
import { messageIdFor } from './deliver';
import { consumeSend, type SendDeps } from './send-consumer';
import { SEND_DEAD_LETTER_QUEUE, SEND_QUEUE, type SendQueueMessage } from './send-queue';
import { createPostmarkFake, type PostmarkFake } from '../test/postmark-fake';

const d = () => db(env.DB);
const TOKEN = 'pm-batch-token';

async function seedStore(storeId: string) {
  await upsertStore(d(), { id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_send_queue', siteKey: `pk_${storeId}`, createdAt: 1, updatedAt: 1 });
  await updateStoreSettings(d(), storeId, { postmarkServerToken: TOKEN }, 1);
}

/** A row exactly as the send_email executor queues it (see queueEmail). */
async function queued(storeId: string, n: number, opts: { contactId?: string; to?: string; stream?: string } = {}): Promise<string> {
  const idempotencyKey = `enr-${n}:email_1`;
  const id = await messageIdFor(storeId, idempotencyKey);
  const row: NewMessage = {
    id, storeId, contactId: opts.contactId ?? `ct_${n}`, flowId: 'abandoned-cart', stepId: 'email_1', enrollmentId: `enr-${n}`, idempotencyKey,
    channel: 'email', subject: `Your cart ${n}`, html: `<p>Cart ${n}</p>`, text: `Cart ${n}`, to: opts.to ?? `shopper${n}@example.com`,
    fromAddress: 'Shop <hello@shop.example>', replyTo: 'help@shop.example', tag: 'abandoned-cart',
    listUnsubscribeUrl: `https://ns.example/u/tok${n}`, metadata: { store_id: storeId, contact_id: opts.contactId ?? `ct_${n}`, flow_id: 'abandoned-cart' },
    messageStream: opts.stream ?? 'broadcast', createdAt: 1_800_000_000_000,
  };
  const claim = await claimMessage(d(), row, 'queued');
  expect(claim.message.status).toBe('queued');
  return id;
}

async function run(queue: string, storeId: string, ids: string[], deps?: SendDeps, attempts = 1) {
  const batch = createMessageBatch<SendQueueMessage>(
    queue,
    ids.map((messageId, i) => ({ id: `q${i}`, timestamp: new Date(), attempts, body: { storeId, messageId } })),
  );
  const ctx = createExecutionContext();
  if (deps) await consumeSend(batch, env, deps);
  else await handleQueue(batch, env);
  return getQueueResult(batch, ctx);
}

const noWait = { sleep: async () => {}, random: () => 0 };
const depsOf = (fake: PostmarkFake, retry: SendDeps['retry'] = noWait): SendDeps => ({ fetch: fake.fetch, retry, now: () => 1_800_000_000_000 });
const statusOf = async (storeId: string, id: string) => (await findMessage(d(), storeId, id))?.status;

describe('the SEND queue consumer', { timeout: 60_000 }, () => {
  it('sends 1200 queued emails in Postmark batches of 500/500/200, each once, with its provider id', async () => {
    const store = 'sq-bulk';
    await seedStore(store);
    const ids: string[] = [];
    for (let i = 0; i < 1200; i += 100) ids.push(...(await Promise.all(Array.from({ length: 100 }, (_, k) => queued(store, i + k)))));
    const fake = createPostmarkFake(TOKEN);

    const result = await run(SEND_QUEUE, store, ids, depsOf(fake));
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1200);
    expect(fake.requests).toEqual([
      { path: '/email/batch', count: 500 },
      { path: '/email/batch', count: 500 },
      { path: '/email/batch', count: 200 },
    ]);
    const bySendId = new Map(fake.sent.map((m) => [m.Metadata?.send_id, m]));
    expect(bySendId.size).toBe(1200);
    for (const id of [ids[0]!, ids[777]!, ids[1199]!]) {
      const row = await findMessage(d(), store, id);
      expect(row).toMatchObject({ status: 'sent', providerMessageId: bySendId.get(id)!.MessageID, sentAt: 1_800_000_000_000 });
    }
    const { results } = await env.DB.prepare(`SELECT status, count(*) AS n, count(DISTINCT provider_message_id) AS ids FROM messages WHERE store_id = ? GROUP BY status`).bind(store).all();
    expect(results).toEqual([{ status: 'sent', n: 1200, ids: 1200 }]);
  });

  it('sends what composeEmail produced: sender, reply-to, bodies, stream, tag, Metadata with our send id, one-click unsubscribe', async () => {
    const store = 'sq-fields';
    await seedStore(store);
    const id = await queued(store, 1);
    const fake = createPostmarkFake(TOKEN);
    await run(SEND_QUEUE, store, [id], depsOf(fake));
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      From: 'Shop <hello@shop.example>', To: 'shopper1@example.com', ReplyTo: 'help@shop.example', Subject: 'Your cart 1',
      HtmlBody: '<p>Cart 1</p>', TextBody: 'Cart 1', Tag: 'abandoned-cart', MessageStream: 'broadcast', TrackOpens: false, TrackLinks: 'None',
      Metadata: { store_id: store, contact_id: 'ct_1', flow_id: 'abandoned-cart', send_id: id },
      Headers: [
        { Name: 'List-Unsubscribe', Value: '<https://ns.example/u/tok1>' },
        { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      ],
    });
  });

  it('never sends a row twice: redelivered pointers, duplicates in one batch, and a second consumer find nothing to take', async () => {
    const store = 'sq-redeliver';
    await seedStore(store);
    const ids = await Promise.all([1, 2, 3].map((n) => queued(store, n)));
    const fake = createPostmarkFake(TOKEN);
    const first = await run(SEND_QUEUE, store, [...ids, ids[0]!, ids[1]!], depsOf(fake));
    expect(first.explicitAcks).toHaveLength(5);
    const again = await run(SEND_QUEUE, store, ids, depsOf(fake), 2);
    expect(again.explicitAcks).toHaveLength(3);
    expect(again.retryMessages).toEqual([]);
    expect(fake.sent).toHaveLength(3);
    expect(fake.requests).toEqual([{ path: '/email/batch', count: 3 }]);

    const racing = await Promise.all([4, 5].map((n) => queued(store, n)));
    await Promise.all([run(SEND_QUEUE, store, racing, depsOf(fake)), run(SEND_QUEUE, store, racing, depsOf(fake))]);
    expect(fake.sent).toHaveLength(5);
  });

  it('suppresses only the contact Postmark calls inactive (406) and sends the rest of the batch', async () => {
    const store = 'sq-406';
    await seedStore(store);
    const gone = (await findOrCreateContactByEmail(d(), store, 'gone@example.com', 1)).contact;
    const kept = (await findOrCreateContactByEmail(d(), store, 'kept@example.com', 1)).contact;
    const ids = [
      await queued(store, 1, { contactId: gone.id, to: 'gone@example.com' }),
      await queued(store, 2, { contactId: kept.id, to: 'kept@example.com' }),
      await queued(store, 3),
    ];
    const fake = createPostmarkFake(TOKEN);
    fake.inactive.add('gone@example.com');
    const result = await run(SEND_QUEUE, store, ids, depsOf(fake));
    expect(result.retryMessages).toEqual([]);
    expect(await Promise.all(ids.map((id) => statusOf(store, id)))).toEqual(['inactive', 'sent', 'sent']);
    expect((await findContact(d(), store, gone.id))?.status).toBe('bounced');
    expect((await findContact(d(), store, kept.id))?.status).toBe('active');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 429 inside the client, then sends', async () => {
    const store = 'sq-429';
    await seedStore(store);
    const ids = await Promise.all([1, 2].map((n) => queued(store, n)));
    const fake = createPostmarkFake(TOKEN);
    fake.failNext(429);
    const result = await run(SEND_QUEUE, store, ids, depsOf(fake));
    expect(result.retryMessages).toEqual([]);
    expect(fake.requests).toEqual([{ path: '/email/batch', count: 0 }, { path: '/email/batch', count: 2 }]);
    expect(await Promise.all(ids.map((id) => statusOf(store, id)))).toEqual(['sent', 'sent']);
  });

  it('puts rows back in the queue when Postmark stays unavailable, and sends them on the next delivery', async () => {
    const store = 'sq-503';
    await seedStore(store);
    const ids = await Promise.all([1, 2].map((n) => queued(store, n)));
    const fake = createPostmarkFake(TOKEN);
    fake.failNext(503, 500);
    const result = await run(SEND_QUEUE, store, ids, depsOf(fake, { ...noWait, maxAttempts: 2 }), 3);
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(['q0', 'q1']);
    expect(await findMessage(d(), store, ids[0]!)).toMatchObject({ status: 'queued', error: 'Maintenance' });

    const later = await run(SEND_QUEUE, store, ids, depsOf(fake), 4);
    expect(later.retryMessages).toEqual([]);
    expect(await Promise.all(ids.map((id) => statusOf(store, id)))).toEqual(['sent', 'sent']);
    expect(fake.sent).toHaveLength(2);
  });

  it('records a per-message 422 as failed and does not retry it', async () => {
    const store = 'sq-422';
    await seedStore(store);
    const ids = [await queued(store, 1, { stream: 'no-such-stream' }), await queued(store, 2)];
    const fake = createPostmarkFake(TOKEN);
    const result = await run(SEND_QUEUE, store, ids, depsOf(fake));
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await findMessage(d(), store, ids[0]!)).toMatchObject({ status: 'failed', retryable: false, error: expect.stringContaining('MessageStream') });
    expect(await statusOf(store, ids[1]!)).toBe('sent');
    await run(SEND_QUEUE, store, ids, depsOf(fake), 2);
    expect(fake.requests).toHaveLength(2);
  });

  it('the dead-letter queue marks still-queued rows failed and retryable with the reason, and leaves sent rows alone', async () => {
    const store = 'sq-dlq';
    await seedStore(store);
    const ids = await Promise.all([1, 2].map((n) => queued(store, n)));
    const fake = createPostmarkFake(TOKEN);
    fake.failNext(500);
    await run(SEND_QUEUE, store, [ids[0]!], depsOf(fake, { ...noWait, maxAttempts: 1 }));
    await run(SEND_QUEUE, store, [ids[1]!], depsOf(fake));
    const dead = await run(SEND_DEAD_LETTER_QUEUE, store, ids);
    expect(dead.explicitAcks).toHaveLength(2);
    const row = await findMessage(d(), store, ids[0]!);
    expect(row).toMatchObject({ status: 'failed', retryable: true });
    expect(row!.error).toBe('send retries exhausted; last error: Maintenance');
    expect(await statusOf(store, ids[1]!)).toBe('sent');
  });
});
