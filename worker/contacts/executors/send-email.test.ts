import { createMessageBatch, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { appendConsents } from '../../db/queries/consents';
import { findContact, findOrCreateContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { findStore, upsertStore } from '../../db/queries/stores';
import type { SendEmailAction } from '../../journeys/actions';
import { consumeSend } from '../../messaging/email/send-consumer';
import type { SendQueueMessage } from '../../messaging/email/send-queue';
import { SEND_QUEUE } from '../../messaging/email/send-queue';
import { createPostmarkFake } from '../../messaging/test/postmark-fake';
import { middayZone } from '../../test/clock';
import { executeSendEmail } from './send-email';

const d = () => db(env.DB);

async function setup(storeId: string, email: string) {
  const now = Date.now();
  await upsertStore(d(), {
    id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_send_email_01', siteKey: `pk_${storeId}`,
    timezone: middayZone(now), createdAt: 1, updatedAt: 1,
  });
  await updateStoreSettings(d(), storeId, { postmarkServerToken: 'pm-token', fromEmail: 'hello@shop.example', fromName: 'Shop', postalAddress: '1 rue de la Paix, 75002 Paris' }, now);
  const { contact } = await findOrCreateContactByEmail(d(), storeId, email, now);
  await appendConsents(d(), [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 1000 }]);
  const fake = createPostmarkFake('pm-token');
  const store = (await findStore(d(), storeId))!;
  // The SEND queue binding is captured so the test, not the background consumer, delivers the pointers.
  const enqueued: SendQueueMessage[] = [];
  const SEND = { send: async (body: SendQueueMessage) => void enqueued.push(body) } as unknown as Queue;
  // Postmark takes only an HTTPS one-click unsubscribe target; the dev default base URL is plain http.
  const httpsEnv: Env = { ...env, SEND, PUBLIC_BASE_URL: 'https://ns.example' as string as Env['PUBLIC_BASE_URL'] };
  const ctx = { env: httpsEnv, d: d(), store, contact, now };
  const deliver = async () => {
    const batch = createMessageBatch(SEND_QUEUE, enqueued.splice(0).map((body, i) => ({ id: `p${i}`, timestamp: new Date(), attempts: 1, body })));
    await consumeSend(batch, env, { fetch: fake.fetch, retry: { sleep: async () => {} } });
  };
  return { fake, ctx, enqueued, deliver };
}

function action(enrollmentId: string): SendEmailAction {
  return {
    type: 'send_email', template: 'vip.perks', context: { coupons: [] }, params: { 'vip.perks': ['Free shipping'] }, choices: [], products: [], categories: [],
    idempotencyKey: `${enrollmentId}:vip_email`, flowId: 'vip-loyalty', flowVersion: 2, enrollmentId, nodeId: 'vip_email',
  };
}

describe('send_email through Postmark (the SEND queue)', () => {
  it('queues once, then sends once on the broadcast stream with our send id in Metadata and one-click unsubscribe headers', async () => {
    const { fake, ctx, enqueued, deliver } = await setup('se-postmark', 'vip@example.com');
    expect(await executeSendEmail(ctx, action('enr-pm'))).toEqual({ status: 'done' });
    const [queued] = await listContactMessages(d(), 'se-postmark', ctx.contact.id);
    expect(queued).toMatchObject({ status: 'queued', fromAddress: 'Shop <hello@shop.example>', messageStream: 'broadcast', tag: 'vip-loyalty' });
    expect(enqueued).toEqual([{ storeId: 'se-postmark', messageId: queued!.id }]);
    expect(fake.requests).toEqual([]);
    await deliver();
    expect(await executeSendEmail(ctx, action('enr-pm'))).toEqual({ status: 'done' });
    expect(enqueued).toEqual([]);
    await deliver();
    expect(fake.sent).toHaveLength(1);
    const [message] = await listContactMessages(d(), 'se-postmark', ctx.contact.id);
    expect(message).toMatchObject({ status: 'sent', channel: 'email', flowId: 'vip-loyalty', stepId: 'vip_email' });
    expect(fake.sent[0]).toMatchObject({ To: 'vip@example.com', From: 'Shop <hello@shop.example>', MessageStream: 'broadcast' });
    expect(fake.sent[0]!.Metadata).toMatchObject({ store_id: 'se-postmark', contact_id: ctx.contact.id });
    const headers = new Map((fake.sent[0]!.Headers ?? []).map((h) => [h.Name, h.Value]));
    expect(headers.get('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(headers.get('List-Unsubscribe')).toMatch(/^<https:\/\/ns\.example\/u\//);
    expect(message!.providerMessageId).toBe(fake.sent[0]!.MessageID);
  });

  it('suppresses the contact when Postmark calls the recipient inactive (406) and never retries', async () => {
    const { fake, ctx, deliver } = await setup('se-inactive', 'gone@example.com');
    fake.inactive.add('gone@example.com');
    expect(await executeSendEmail(ctx, action('enr-406'))).toEqual({ status: 'done' });
    await deliver();
    expect((await findContact(d(), 'se-inactive', ctx.contact.id))?.status).toBe('bounced');
    expect(await listContactMessages(d(), 'se-inactive', ctx.contact.id)).toMatchObject([{ status: 'inactive' }]);
    expect(await executeSendEmail(ctx, action('enr-406'))).toMatchObject({ status: 'skipped' });
    expect(await executeSendEmail(ctx, action('enr-406-later'))).toMatchObject({ status: 'skipped' });
    await deliver();
    expect(fake.requests).toHaveLength(1);
  });
});
