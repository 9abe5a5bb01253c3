import { env, SELF } from 'cloudflare:test';
import { seedExecutorContext } from '../../contacts/executors/test/seed';
import { linkSigningKey } from '../../db/queries/store-settings';
import { importTokenKey } from '../../lib/tokens';
import { unsubscribeUrl } from '../../messaging/email/links';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactScore, writeLeadScore } from '../../db/queries/contact-scores';
import { ingestPostmarkEvent } from '../../deliverability/ingest-postmark';
import { PostmarkEvent } from '../../deliverability/postmark-events';
import { applyLeadSignals } from './lead-scoring';
import { postmark, seedContact, seedPostmarkStore, seedSentMessage } from '../../test/postmark-fixtures';

describe('provider verdicts lower the lead score', () => {
  it('a spam complaint takes 50 points off, once, however often Postmark retries it', async () => {
    const storeId = 'lead-complaint';
    const d = db(env.DB);
    await seedPostmarkStore(storeId);
    const event = PostmarkEvent.parse(postmark.spamComplaint);
    const contactId = await seedContact(storeId, 'complainer@example.org');
    const at = Date.parse('2026-11-05T18:00:00Z');
    await seedSentMessage(storeId, contactId, { id: 'snd_lead_1', providerMessageId: event.MessageID ?? 'none', sentAt: at - 3_600_000 });
    await writeLeadScore(d, storeId, contactId, { score: 40, at, caps: {} });

    await ingestPostmarkEvent(env, d, storeId, event, 'trace-1', at + 1000);
    await ingestPostmarkEvent(env, d, storeId, event, 'trace-1', at + 2000);

    const score = await findContactScore(d, storeId, contactId);
    // 40 decays for two minutes (half-life 30 days: nothing measurable), then −50.
    expect(score?.leadScore).toBeCloseTo(-10, 2);
  });
});

describe('an unsubscribe from our link', () => {
  it('takes 30 points off the lead score once, however often the link is posted', async () => {
    const now = Date.now();
    const ctx = await seedExecutorContext('lead-unsub', now);
    const key = await importTokenKey(await linkSigningKey(ctx.d, ctx.store.id, now));
    const url = await unsubscribeUrl({ baseUrl: 'https://ns.test', key }, { storeId: ctx.store.id, contactId: ctx.contact.id, sendId: null });
    await writeLeadScore(ctx.d, ctx.store.id, ctx.contact.id, { score: 45, at: now, caps: {} });
    for (let i = 0; i < 2; i++) expect((await SELF.fetch(url, { method: 'POST' })).status).toBe(200);
    expect((await findContactScore(ctx.d, ctx.store.id, ctx.contact.id))?.leadScore).toBeCloseTo(15, 1);
  });
});

describe('concurrent deliveries for one contact', () => {
  it('lose no points: the write is a compare-and-set on the time of the score read', async () => {
    const ctx = await seedExecutorContext('lead-race', Date.now());
    const at = Date.now();
    await Promise.all([0, 1, 2].map((i) => applyLeadSignals(ctx.d, ctx.store.id, ctx.contact.id, [{ kind: 'order_placed', at: at + i }])));
    expect((await findContactScore(ctx.d, ctx.store.id, ctx.contact.id))?.leadScore).toBeCloseTo(60, 2);
  });
});
