import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { claimMessage, findMessage, takeQueuedMessages, type NewMessage } from '../../db/queries/messages';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { createPostmarkFake, type PostmarkFake } from '../test/postmark-fake';
import { messageIdFor } from './deliver';
import { consumeSend, type SendDeps } from './send-consumer';
import { SEND_QUEUE, type SendQueueMessage } from './send-queue';
import { SETTLE_AFTER_MS, settleAfterMs } from './settle-sends';
import { sweepStuckSends } from './stuck-sends';

const d = () => db(env.DB);
const TOKEN = 'pm-once-token';
const T0 = 1_800_000_000_000;
const noWait = { sleep: async () => {}, random: () => 0 };
const depsAt = (fake: PostmarkFake, at: number): SendDeps => ({ fetch: fake.fetch, retry: noWait, now: () => at });

async function seedStore(storeId: string) {
  await upsertStore(d(), { id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_once', siteKey: `pk_${storeId}`, createdAt: 1, updatedAt: 1 });
  await updateStoreSettings(d(), storeId, { postmarkServerToken: TOKEN }, 1);
}

/** A row exactly as the send_email executor queues it (see queueEmail). */
async function queued(storeId: string, n: number): Promise<string> {
  const idempotencyKey = `enr-${n}:email_1`;
  const id = await messageIdFor(storeId, idempotencyKey);
  const row: NewMessage = {
    id, storeId, contactId: `ct_${n}`, flowId: 'abandoned-cart', stepId: 'email_1', enrollmentId: `enr-${n}`, idempotencyKey,
    channel: 'email', subject: `Your cart ${n}`, html: `<p>Cart ${n}</p>`, text: `Cart ${n}`, to: `shopper${n}@example.com`,
    fromAddress: 'Shop <hello@shop.example>', tag: 'abandoned-cart', listUnsubscribeUrl: `https://ns.example/u/tok${n}`,
    metadata: { store_id: storeId, contact_id: `ct_${n}`, flow_id: 'abandoned-cart' }, messageStream: 'broadcast', createdAt: T0 - 1000,
  };
  await claimMessage(d(), row, 'queued');
  return id;
}

async function consume(storeId: string, ids: string[], deps: SendDeps, attempts = 1) {
  const batch = createMessageBatch<SendQueueMessage>(SEND_QUEUE, ids.map((messageId, i) => ({ id: `q${i}`, timestamp: new Date(), attempts, body: { storeId, messageId } })));
  const ctx = createExecutionContext();
  await consumeSend(batch, env, deps);
  return getQueueResult(batch, ctx);
}

/** How many times Postmark accepted each send id, and the MessageID it gave. */
function accepted(fake: PostmarkFake): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const m of fake.sent) byId.set(m.Metadata!.send_id!, [...(byId.get(m.Metadata!.send_id!) ?? []), m.MessageID]);
  return byId;
}

describe('exactly once when Postmark accepts and never answers', { timeout: 30_000 }, () => {
  it('a batch that times out after Postmark accepted it is looked up, not resent: 4 messages accepted 4 times', async () => {
    const store = 'once-hang';
    await seedStore(store);
    const ids = await Promise.all([1, 2, 3, 4].map((n) => queued(store, n)));
    const fake = createPostmarkFake(TOKEN);
    fake.failNext('accept-then-hang');

    const first = await consume(store, ids, depsAt(fake, T0));
    expect(fake.sent).toHaveLength(4);
    expect(fake.requests).toEqual([{ path: '/email/batch', count: 4 }]);
    expect(first.retryMessages).toHaveLength(4);
    expect(await findMessage(d(), store, ids[0]!)).toMatchObject({ status: 'sending', error: expect.stringContaining('outcome unknown') });

    // The pointer comes back before the row may be looked up: nothing is sent, nothing searched.
    await consume(store, ids, depsAt(fake, T0 + 60_000), 2);
    expect(fake.requests).toHaveLength(1);

    const settled = await consume(store, ids, depsAt(fake, T0 + SETTLE_AFTER_MS + 20_000), 3);
    expect(settled.retryMessages).toEqual([]);
    expect(fake.sent).toHaveLength(4);
    const byId = accepted(fake);
    for (const id of ids) {
      expect(byId.get(id)).toHaveLength(1);
      expect(await findMessage(d(), store, id)).toMatchObject({ status: 'sent', providerMessageId: byId.get(id)![0] });
    }
    expect(fake.requests.filter((r) => r.path === '/messages/outbound')).toHaveLength(4);
    expect(fake.requests.filter((r) => r.path === '/email/batch')).toHaveLength(1);
  });
});

describe('exactly once after a crash mid-send (rows left `sending`)', { timeout: 30_000 }, () => {
  it('the sweep settles each row once it is old enough: found by search → sent with its MessageID; not found → sent once', async () => {
    const store = 'once-crash';
    await seedStore(store);
    const reached = await Promise.all([1, 2, 3].map((n) => queued(store, n)));
    const never = await Promise.all([4, 5].map((n) => queued(store, n)));
    const fake = createPostmarkFake(TOKEN);
    // A consumer took all five rows; Postmark accepted the first three, then the process was killed.
    fake.failNext('accept-then-hang');
    await consume(store, reached, depsAt(fake, T0));
    expect(await takeQueuedMessages(d(), store, never, T0)).toHaveLength(2);
    expect(fake.sent).toHaveLength(3);

    await sweepStuckSends(env, T0 + 60_000, { fetch: fake.fetch, retry: noWait });
    expect(fake.requests).toHaveLength(1);
    expect((await findMessage(d(), store, never[0]!))?.status).toBe('sending');

    await sweepStuckSends(env, T0 + SETTLE_AFTER_MS + 1, { fetch: fake.fetch, retry: noWait });
    const byId = accepted(fake);
    expect(fake.sent).toHaveLength(5);
    for (const id of [...reached, ...never]) {
      expect(byId.get(id)).toHaveLength(1);
      expect(await findMessage(d(), store, id)).toMatchObject({ status: 'sent', providerMessageId: byId.get(id)![0] });
    }
    // Only the two rows Postmark never saw were sent, in one batch.
    expect(fake.requests.filter((r) => r.path === '/email/batch')).toEqual([{ path: '/email/batch', count: 3 }, { path: '/email/batch', count: 2 }]);

    await sweepStuckSends(env, T0 + 3 * SETTLE_AFTER_MS, { fetch: fake.fetch, retry: noWait });
    expect(fake.sent).toHaveLength(5);
  });

  it('a failed lookup leaves the row `sending` for the next sweep instead of resending it', async () => {
    const store = 'once-lookup-down';
    await seedStore(store);
    const [id] = [await queued(store, 1)];
    const fake = createPostmarkFake(TOKEN);
    fake.failNext('accept-then-hang');
    await consume(store, [id!], depsAt(fake, T0));
    fake.failNext(503);
    await sweepStuckSends(env, T0 + SETTLE_AFTER_MS + 1, { fetch: fake.fetch, retry: { ...noWait, maxAttempts: 1 } });
    expect((await findMessage(d(), store, id!))?.status).toBe('sending');
    await sweepStuckSends(env, T0 + 2 * SETTLE_AFTER_MS + 2, { fetch: fake.fetch, retry: noWait });
    expect(await findMessage(d(), store, id!)).toMatchObject({ status: 'sent', providerMessageId: fake.sent[0]!.MessageID });
    expect(fake.sent).toHaveLength(1);
  });
});

describe('how long an unanswered send waits before its lookup', () => {
  it('is five minutes unless the deployment sets SEND_SETTLE_AFTER_SECONDS', () => {
    expect(settleAfterMs(env)).toBe(SETTLE_AFTER_MS);
    expect(SETTLE_AFTER_MS).toBe(300_000);
    expect(settleAfterMs({ ...env, SEND_SETTLE_AFTER_SECONDS: '45' })).toBe(45_000);
    expect(settleAfterMs({ ...env, SEND_SETTLE_AFTER_SECONDS: 'soon' })).toBe(SETTLE_AFTER_MS);
  });
});
