import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { claimMessage, findMessage } from '../../db/queries/messages';
import { upsertStore } from '../../db/queries/stores';
import { STUCK_AFTER_MS, sweepStuckSends } from './stuck-sends';

const d = () => db(env.DB);

function row(storeId: string, id: string, createdAt: number) {
  return { id, storeId, contactId: 'c1', flowId: 'welcome', stepId: 'e1', enrollmentId: 'enr', idempotencyKey: `k-${id}`, channel: 'email' as const, subject: 's', html: 'h', text: 't', to: 'a@example.com', createdAt };
}

describe('stuck sends sweep', () => {
  it('marks only old rows left in sending as failed with an unknown outcome, never to be retried', async () => {
    const storeId = 'stuck-sends';
    const now = 10 * STUCK_AFTER_MS;
    await upsertStore(d(), { id: storeId, name: 's', webhookSecret: 'x'.repeat(32), siteKey: 'pk_stuck', createdAt: 1, updatedAt: 1 });
    await claimMessage(d(), row(storeId, 'snd_old', now - STUCK_AFTER_MS - 1));
    await claimMessage(d(), row(storeId, 'snd_recent', now - 60_000));
    await claimMessage(d(), row(storeId, 'snd_queued', now - STUCK_AFTER_MS - 1), 'queued');

    await sweepStuckSends(env, now);

    expect(await findMessage(d(), storeId, 'snd_old')).toMatchObject({ status: 'failed', retryable: false, error: expect.stringContaining('outcome unknown') });
    expect((await findMessage(d(), storeId, 'snd_recent'))?.status).toBe('sending');
    expect((await findMessage(d(), storeId, 'snd_queued'))?.status).toBe('queued');
  });
});
