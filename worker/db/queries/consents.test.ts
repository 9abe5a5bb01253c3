import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedContact, seedPostmarkStore } from '../../test/postmark-fixtures';
import { db } from '../client';
import { appendConsents, currentConsent, currentConsents, type NewConsent } from './consents';

describe('currentConsents', () => {
  it('gives, in one read, the row currentConsent gives for each pair: latest by occurrence, ties by id', async () => {
    await seedPostmarkStore('consents-many');
    const contactId = await seedContact('consents-many', 'ledger@example.net');
    const d = db(env.DB);
    const row = (channel: NewConsent['channel'], purpose: NewConsent['purpose'], granted: boolean, occurredAt: number): NewConsent => ({
      storeId: 'consents-many', contactId, channel, purpose, granted, source: 'checkout', textVersion: null, occurredAt,
    });
    // Email marketing granted, withdrawn later, then a second withdrawal and a grant at the same instant (the grant
    // written last wins the tie); SMS marketing granted once; no email tracking row; another contact's rows ignored.
    await appendConsents(d, [row('email', 'marketing', true, 10), row('email', 'marketing', false, 20), row('sms', 'marketing', true, 15)]);
    await appendConsents(d, [row('email', 'marketing', false, 30), row('email', 'marketing', true, 30)]);
    const other = await seedContact('consents-many', 'other@example.net');
    await appendConsents(d, [{ ...row('email', 'tracking', true, 40), contactId: other }]);

    const pairs = { email: ['email', 'marketing'], sms: ['sms', 'marketing'], tracking: ['email', 'tracking'] } as const;
    const many = await currentConsents(d, 'consents-many', contactId, { email: [...pairs.email], sms: [...pairs.sms], tracking: [...pairs.tracking] });
    for (const [key, [channel, purpose]] of Object.entries(pairs) as [keyof typeof pairs, readonly [NewConsent['channel'], NewConsent['purpose']]][]) {
      expect(many[key], key).toEqual(await currentConsent(d, 'consents-many', contactId, channel, purpose));
    }
    expect([many.email?.granted, many.email?.occurredAt, many.sms?.granted, many.tracking]).toEqual([true, 30, true, undefined]);
  });
});
