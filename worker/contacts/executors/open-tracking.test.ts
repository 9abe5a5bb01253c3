import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { appendConsents } from '../../db/queries/consents';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { findStore, upsertStore } from '../../db/queries/stores';
import type { SendEmailAction } from '../../journeys/actions';
import { middayZone } from '../../test/clock';
import { executeSendEmail } from './send-email';
import { completeSender } from '../../test/sender';

const d = () => db(env.DB);

/** The send path asks the consent ledger whether this contact's email may carry an open pixel. */
async function sendWithTrackingConsent(storeId: string, tracking: boolean): Promise<string> {
  const now = Date.now();
  await upsertStore(d(), {
    id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_open_tracking', siteKey: `pk_${storeId}`,
    timezone: middayZone(now), createdAt: 1, updatedAt: 1,
  });
    await completeSender(d(), storeId);
  const { contact } = await findOrCreateContactByEmail(d(), storeId, `${storeId}@example.com`, now);
  await appendConsents(d(), [
    { storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 2000 },
    { storeId, contactId: contact.id, channel: 'email', purpose: 'tracking', granted: tracking, source: 'checkout', occurredAt: now - 1000 },
  ]);
  const store = (await findStore(d(), storeId))!;
  const action: SendEmailAction = {
    type: 'send_email', template: 'vip.perks', context: { coupons: [] }, params: { 'vip.perks': ['Free shipping'] }, choices: [], products: [], categories: [],
    idempotencyKey: `enr-${storeId}:vip_email`, flowId: 'vip-loyalty', flowVersion: 1, enrollmentId: `enr-${storeId}`, nodeId: 'vip_email',
  };
  expect(await executeSendEmail({ env, d: d(), store, contact, now }, action)).toEqual({ status: 'done' });
  const [message] = await listContactMessages(d(), storeId, contact.id);
  expect(message?.status).toBe('outbox');
  return message!.html ?? '';
}

describe('open tracking follows the contact consent', () => {
  it('adds the open pixel when the contact consented to tracking', async () => {
    expect(await sendWithTrackingConsent('ot-granted', true)).toContain('/o/');
  });

  it('leaves the pixel out when tracking consent was withdrawn, and keeps click tracking', async () => {
    const html = await sendWithTrackingConsent('ot-withdrawn', false);
    expect(html).not.toContain('/o/');
    expect(html).toContain('/c/');
  });
});
