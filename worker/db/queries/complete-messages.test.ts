import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedContact, seedPostmarkStore } from '../../test/postmark-fixtures';
import { db } from '../client';
import { claimMessage, completeMessage, completeMessages, type MessageOutcome } from './messages';

const DAY = Date.parse('2026-11-10T08:00:00Z');
const NEXT_DAY = DAY + 86_400_000;

/** Five rows of one contact: two of a step on one day, one on the next day, one that fails, one outside any flow. */
async function claimFive(storeId: string): Promise<{ id: string; outcome: MessageOutcome }[]> {
  const contactId = await seedContact(storeId, 'batch@example.net');
  const d = db(env.DB);
  const rows = [
    { key: 'a', flowId: 'welcome', stepId: 'email_1', createdAt: DAY },
    { key: 'b', flowId: 'welcome', stepId: 'email_1', createdAt: DAY },
    { key: 'c', flowId: 'welcome', stepId: 'email_2', createdAt: NEXT_DAY },
    { key: 'd', flowId: 'welcome', stepId: 'email_1', createdAt: DAY },
    { key: 'e', flowId: null, stepId: null, createdAt: DAY },
  ];
  for (const r of rows) {
    const { key, ...rest } = r;
    await claimMessage(d, { id: `${storeId}-${key}`, storeId, contactId, ...rest, enrollmentId: r.flowId ? `enr-${key}` : null, idempotencyKey: `k-${key}`, channel: 'email', subject: 's', html: null, text: 't', to: 'batch@example.net' });
  }
  const id = (key: string) => `${storeId}-${key}`;
  return [
    { id: id('a'), outcome: { status: 'sent', providerMessageId: 'pm-a', sentAt: DAY + 5 } },
    { id: id('b'), outcome: { status: 'sent', providerMessageId: 'pm-b', sentAt: DAY + 6 } },
    { id: id('c'), outcome: { status: 'outbox' } },
    { id: id('d'), outcome: { status: 'failed', error: 'Postmark 422: invalid address', retryable: true } },
    { id: id('e'), outcome: { status: 'sent', providerMessageId: 'pm-e', sentAt: DAY + 7 } },
  ];
}

async function state(storeId: string) {
  const messages = await env.DB.prepare(
    `select substr(id, length(?) + 2) as key, status, provider_message_id, error, retryable, sent_at from messages where store_id = ? order by id`,
  )
    .bind(storeId, storeId)
    .all();
  const stats = await env.DB.prepare(`select flow_id, flow_version, step_id, day, sent, entered from flow_stats_daily where store_id = ? order by step_id, day`)
    .bind(storeId)
    .all();
  return { messages: messages.results, stats: stats.results };
}

describe('completeMessages', () => {
  it('writes a chunk of outcomes in three statements exactly as one completeMessage per row does, and counts each send once', async () => {
    await seedPostmarkStore('complete-batch');
    await seedPostmarkStore('complete-single');
    const batch = await claimFive('complete-batch');
    const single = await claimFive('complete-single');

    await completeMessages(db(env.DB), 'complete-batch', batch);
    for (const { id, outcome } of single) await completeMessage(db(env.DB), 'complete-single', id, outcome);

    const got = await state('complete-batch');
    expect(got).toEqual(await state('complete-single'));
    expect(got.messages).toEqual([
      { key: 'a', status: 'sent', provider_message_id: 'pm-a', error: null, retryable: 0, sent_at: DAY + 5 },
      { key: 'b', status: 'sent', provider_message_id: 'pm-b', error: null, retryable: 0, sent_at: DAY + 6 },
      { key: 'c', status: 'outbox', provider_message_id: null, error: null, retryable: 0, sent_at: null },
      { key: 'd', status: 'failed', provider_message_id: null, error: 'Postmark 422: invalid address', retryable: 1, sent_at: null },
      { key: 'e', status: 'sent', provider_message_id: 'pm-e', error: null, retryable: 0, sent_at: DAY + 7 },
    ]);
    // Two sends of email_1 on one day in one row; the outbox row on its own creation day; the failed and the
    // flow-less rows nowhere.
    expect(got.stats).toEqual([
      { flow_id: 'welcome', flow_version: 0, step_id: 'email_1', day: '2026-11-10', sent: 2, entered: 0 },
      { flow_id: 'welcome', flow_version: 0, step_id: 'email_2', day: '2026-11-11', sent: 1, entered: 0 },
    ]);

    // The same answers written again (a redelivered pointer batch) count nothing twice.
    await completeMessages(db(env.DB), 'complete-batch', batch);
    expect((await state('complete-batch')).stats).toEqual(got.stats);
  });

  it("reads the chunk's own rows by primary key, not every message of the store", async () => {
    await seedPostmarkStore('complete-many');
    const outcomes = await claimFive('complete-many');
    const d = db(env.DB);
    const contactId = await seedContact('complete-many', 'batch@example.net');
    for (let i = 0; i < 200; i++) {
      await claimMessage(d, { id: `other-${i}`, storeId: 'complete-many', contactId, flowId: 'welcome', stepId: 'email_1', enrollmentId: `enr-o${i}`, idempotencyKey: `o-${i}`, channel: 'email', subject: 's', html: null, text: 't', to: 'batch@example.net' , createdAt: DAY });
    }
    let rowsRead = 0;
    const counting = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch') {
          return async (stmts: D1PreparedStatement[]) => {
            const results = await target.batch(stmts);
            for (const r of results) rowsRead += r.meta.rows_read;
            return results;
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await completeMessages(db(counting), 'complete-many', outcomes);
    // Five rows written, four of them counted and marked: a few dozen rows at most, where a walk of the store reads 205
    // per statement.
    expect(rowsRead).toBeGreaterThan(0);
    expect(rowsRead).toBeLessThan(60);
  });
});
