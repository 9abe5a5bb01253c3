import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { appendConsents } from '../../db/queries/consents';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { findStore, upsertStore } from '../../db/queries/stores';
import type { SendEmailAction } from '../../journeys/actions';
import { countingD1 } from '../../messaging/test/counting-d1';
import { middayZone } from '../../test/clock';
import { executeSendEmail } from './send-email';

const action = (enrollmentId: string): SendEmailAction => ({
  type: 'send_email', template: 'vip.perks', context: { coupons: [] }, params: { 'vip.perks': ['Free shipping'] }, choices: [], products: [], categories: [],
  idempotencyKey: `${enrollmentId}:vip_email`, flowId: 'vip-loyalty', flowVersion: 2, enrollmentId, nodeId: 'vip_email',
});

/**
 * Locally every D1 round trip is a call into the D1 simulator on workerd's one thread, and a woken agent's
 * send made 17 of them (issue 10, "Sending fast"); a count cannot flake the way a timing would.
 */
describe('D1 round trips of one flow email send (guardrails, rendering, claiming its row)', () => {
  it('takes at most 14 once the store has its link signing key, and still queues the email', async () => {
    const storeId = 'rt-store';
    const now = Date.now();
    const d = db(env.DB);
    await upsertStore(d, { id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_send_email_01', siteKey: `pk_${storeId}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
    await updateStoreSettings(d, storeId, { postmarkServerToken: 'pm-token', fromEmail: 'hello@shop.example', fromName: 'Shop', postalAddress: '1 rue de la Paix, 75002 Paris' }, now);
    const store = (await findStore(d, storeId))!;
    const log: string[] = [];
    const queued: unknown[] = [];
    const SEND = { send: async (body: unknown) => void queued.push(body) } as unknown as Queue;
    const e: Env = { ...env, DB: countingD1(env.DB, log), SEND, PUBLIC_BASE_URL: 'https://ns.example' as string as Env['PUBLIC_BASE_URL'] };
    for (const n of [1, 2]) {
      const { contact } = await findOrCreateContactByEmail(d, storeId, `rt${n}@example.com`, now);
      await appendConsents(d, [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 1000 }]);
      log.length = 0;
      expect(await executeSendEmail({ env: e, d: db(e.DB), store, contact, now }, action(`enr-rt-${n}`))).toEqual({ status: 'done' });
    }
    expect(queued).toHaveLength(2);
    expect(log.length, log.join('\n')).toBeLessThanOrEqual(14);
  });
});
