import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { postmark, postWebhook, seedContact, seedPostmarkStore, variant } from '../../test/postmark-fixtures';
import { db } from '../client';
import { listConsents } from './consents';
import { anonymizeProviderEvents, listProviderEvents } from './provider-events';
import { emailSuppression, isSuppressed, suppressContact } from './suppression';

describe('suppression helpers', () => {
  it('suppressContact records the status and withdraws email marketing consent', async () => {
    await seedPostmarkStore('sup-direct');
    const contactId = await seedContact('sup-direct', 'gone@example.net');
    const d = db(env.DB);
    expect(await isSuppressed(d, 'sup-direct', contactId)).toBe(false);
    await suppressContact(d, { storeId: 'sup-direct', contactId, status: 'bounced', occurredAt: 5, now: 6 });
    expect(await emailSuppression(d, 'sup-direct', contactId)).toBe('bounced');
    expect((await listConsents(d, 'sup-direct', contactId)).map((c) => [c.granted, c.source])).toEqual([[false, 'provider']]);
    expect(await emailSuppression(d, 'sup-direct', 'ct_unknown')).toBe('unknown_contact');
  });

  it('anonymizeProviderEvents forgets who an event was about but keeps it counted', async () => {
    await seedPostmarkStore('sup-erase');
    const contactId = await seedContact('sup-erase', 'no-such-user@example.net');
    await postWebhook('sup-erase', variant(postmark.bounce, { storeId: 'sup-erase', contactId }));
    await postWebhook('sup-erase', variant(postmark.delivery, { storeId: 'sup-erase' }, { Recipient: 'someone@example.com' }));
    const d = db(env.DB);
    await anonymizeProviderEvents(d, 'sup-erase', contactId, 'no-such-user@example.net');
    const rows = await listProviderEvents(d, 'sup-erase');
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain('no-such-user@example.net');
    expect(rows.find((r) => r.kind === 'hard_bounce')).toMatchObject({ contactId: null, recipient: null, details: {} });
    expect(rows.find((r) => r.kind === 'delivery')?.recipient).toBe('someone@example.com');
  });
});
