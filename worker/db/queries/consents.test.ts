import { env } from 'cloudflare:test';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedContact, seedPostmarkStore } from '../../test/postmark-fixtures';
import { db } from '../client';
import { consents } from '../schema';
import { appendConsents, currentConsent, currentConsents, type Consent, type NewConsent } from './consents';

describe('currentConsents', () => {
  it('gives, in one read, the row in force for each pair: latest by occurrence, ties to the row written last', async () => {
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

    const many = await currentConsents(d, 'consents-many', contactId, { email: ['email', 'marketing'], sms: ['sms', 'marketing'], tracking: ['email', 'tracking'] });
    const ids = (await d.select().from(consents).where(eq(consents.contactId, contactId)).orderBy(asc(consents.id)).all()).map((r) => r.id);
    const seen = (c: Consent | undefined) => c && [c.id, c.granted, c.occurredAt];
    expect([seen(many.email), seen(many.sms), many.tracking]).toEqual([[ids[4], true, 30], [ids[2], true, 15], undefined]);
    // One pair alone reads the same way.
    expect(seen(await currentConsent(d, 'consents-many', contactId, 'email', 'marketing'))).toEqual([ids[4], true, 30]);
    expect(await currentConsent(d, 'consents-many', contactId, 'email', 'tracking')).toBeUndefined();
  });
});
