import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findMessageByProviderId, listContactMessages } from '../../db/queries/messages';
import { importTokenKey } from '../../lib/tokens';
import { OutboxChannel, OutboxSmsChannel, PostmarkChannel, selectEmailChannel, selectSmsChannel, TwilioSmsChannel } from '../channels';
import { composeEmail } from './compose';
import { deliverEmail, deliverSms, messageIdFor, type SendRecord } from './deliver';
import { readClickToken, readPreferenceToken, readUnsubscribeToken } from './links';
import { createPostmarkFake } from '../test/postmark-fake';
import { createTwilioFake } from '../test/twilio-fake';

const NOW = Date.UTC(2026, 10, 24, 10, 0);
const noWait = { sleep: async () => {}, random: () => 0, maxAttempts: 3 };

async function compose(storeId: string, key: string, trackOpens = false) {
  const signing = { baseUrl: 'https://ns.example.com', key: await importTokenKey('deliver-test-signing-secret') };
  const sendId = await messageIdFor(storeId, key);
  const email = await composeEmail({
    sendId,
    storeId,
    contactId: 'ct_1',
    flowId: 'flow_cart',
    from: 'Braise <shop@example.com>',
    to: 'zoe@example.net',
    templateId: 'welcome.1',
    locale: 'fr',
    data: {
      store: { name: 'Braise', address: '1 rue du Feu, Lyon', url: 'https://shop.example.com/', currency: 'EUR' },
      contact: { first_name: 'Zoé' },
      recommendations: [{ name: 'Pan', url: 'https://shop.example.com/p/pan' }],
    },
    preferenceChoices: [{ label: 'Barbecue', key: 'interest', value: 'bbq' }],
    signing,
    trackOpens,
  });
  return { email, signing, record: { storeId, contactId: 'ct_1', idempotencyKey: key, flowId: 'flow_cart', stepId: 'email_1', enrollmentId: 'enr_1' } satisfies SendRecord };
}

describe('composeEmail', () => {
  it('signs footer and preference-question links, tracks store links and sets Postmark metadata', async () => {
    const { email, signing } = await compose('st_compose', 'enr_1:email_1');
    const unsub = email.listUnsubscribeUrl.split('/u/')[1] ?? '';
    expect(await readUnsubscribeToken(signing.key, unsub)).toEqual({ storeId: 'st_compose', contactId: 'ct_1', sendId: email.sendId });
    expect(email.html).toContain(`href="${email.listUnsubscribeUrl}"`);
    const prefs = [...email.html.matchAll(/href="https:\/\/ns\.example\.com\/p\/([^"]+)"/g)].map((m) => m[1] ?? '');
    const decoded = await Promise.all(prefs.map((t) => readPreferenceToken(signing.key, t)));
    expect(decoded.map((p) => p?.choice)).toEqual([{ key: 'interest', value: 'bbq' }, null]);
    const click = /href="https:\/\/ns\.example\.com\/c\/([^"]+)"/.exec(email.html)?.[1] ?? '';
    expect(await readClickToken(signing.key, click)).toMatchObject({ sendId: email.sendId, url: 'https://shop.example.com/' });
    expect(email.html).not.toContain('/o/');
    expect(email.metadata).toEqual({ store_id: 'st_compose', contact_id: 'ct_1', flow_id: 'flow_cart' });
    expect((await compose('st_compose', 'k2', true)).email.html).toMatch(/<img src="https:\/\/ns\.example\.com\/o\/[^"]+" width="1"/);
  });
});

describe('deliverEmail', () => {
  it('stores the fully rendered message in the outbox when no provider is configured, once', async () => {
    const d = db(env.DB);
    const { email, record } = await compose('st_outbox', 'enr_1:email_1');
    const channel = selectEmailChannel({});
    expect(channel).toBeInstanceOf(OutboxChannel);
    const first = await deliverEmail(d, channel, record, email, NOW);
    expect(first.duplicate).toBe(false);
    expect(first.message).toMatchObject({ id: email.sendId, status: 'outbox', channel: 'email', subject: email.subject, html: email.html, text: email.text, to: 'zoe@example.net', stepId: 'email_1' });
    const again = await deliverEmail(d, channel, record, email, NOW + 1000);
    expect(again).toMatchObject({ duplicate: true, result: null, message: { id: email.sendId, status: 'outbox' } });
    expect(await listContactMessages(d, 'st_outbox', 'ct_1')).toHaveLength(1);
  });

  it('sends through Postmark exactly once even when the step is retried', async () => {
    const d = db(env.DB);
    const fake = createPostmarkFake('pm-token');
    const channel = selectEmailChannel({ postmarkServerToken: 'pm-token', postmarkBaseUrl: 'https://pm.fake', fetch: fake.fetch, retry: noWait });
    expect(channel).toBeInstanceOf(PostmarkChannel);
    const { email, record } = await compose('st_pm', 'enr_1:email_1');
    const first = await deliverEmail(d, channel, record, email, NOW);
    const second = await deliverEmail(d, channel, record, email, NOW);
    expect(first.message).toMatchObject({ status: 'sent', sentAt: NOW, providerMessageId: fake.sent[0]?.MessageID });
    expect(second.duplicate).toBe(true);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]?.Metadata).toEqual({ store_id: 'st_pm', contact_id: 'ct_1', flow_id: 'flow_cart', send_id: email.sendId });
    expect(await findMessageByProviderId(d, 'st_pm', fake.sent[0]?.MessageID ?? '')).toMatchObject({ id: email.sendId });
  });

  it('records 406 as inactive and never sends again under that key', async () => {
    const d = db(env.DB);
    const fake = createPostmarkFake('pm-token');
    fake.inactive.add('zoe@example.net');
    const channel = new PostmarkChannel({ serverToken: 'pm-token', baseUrl: 'https://pm.fake', fetch: fake.fetch, retry: noWait });
    const { email, record } = await compose('st_inactive', 'enr_1:email_1');
    const first = await deliverEmail(d, channel, record, email, NOW);
    expect(first.result).toMatchObject({ status: 'inactive' });
    expect(first.message).toMatchObject({ status: 'inactive', retryable: false });
    expect(first.message.error).toContain('inactive');
    expect((await deliverEmail(d, channel, record, email, NOW)).duplicate).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('takes back a send the provider never accepted, but not a rejected one', async () => {
    const d = db(env.DB);
    const fake = createPostmarkFake('pm-token');
    const channel = new PostmarkChannel({ serverToken: 'pm-token', baseUrl: 'https://pm.fake', fetch: fake.fetch, retry: noWait });
    const { email, record } = await compose('st_retry', 'enr_1:email_1');
    fake.failNext(500, 500, 500);
    expect((await deliverEmail(d, channel, record, email, NOW)).message).toMatchObject({ status: 'failed', retryable: true });
    const retried = await deliverEmail(d, channel, record, email, NOW + 60_000);
    expect(retried).toMatchObject({ duplicate: false, message: { status: 'sent', retryable: false, error: null } });
    expect(fake.sent).toHaveLength(1);

    const wrongStream = new PostmarkChannel({ serverToken: 'pm-token', baseUrl: 'https://pm.fake', messageStream: 'nope', fetch: fake.fetch, retry: noWait });
    const other = await compose('st_retry', 'enr_1:email_2');
    expect((await deliverEmail(d, wrongStream, other.record, other.email, NOW)).message).toMatchObject({ status: 'failed', retryable: false });
    expect((await deliverEmail(d, channel, other.record, other.email, NOW)).duplicate).toBe(true);
    expect(fake.sent).toHaveLength(1);
  });

  it('refuses a send id that does not derive from the idempotency key', async () => {
    const { email, record } = await compose('st_badid', 'enr_1:email_1');
    await expect(deliverEmail(db(env.DB), new OutboxChannel(), { ...record, idempotencyKey: 'other' }, email, NOW)).rejects.toThrow(/messageIdFor/);
  });
});

describe('deliverSms', () => {
  const record = (storeId: string): SendRecord => ({ storeId, contactId: 'ct_1', idempotencyKey: 'enr_1:sms' });

  it('defers in quiet hours without recording anything, then sends once through the provider', async () => {
    const d = db(env.DB);
    const fake = createTwilioFake('AC1', 'tw-token');
    const channel = selectSmsChannel({ smsAccountSid: 'AC1', smsAuthToken: 'tw-token', smsFrom: '+33700000000', smsBaseUrl: 'https://tw.fake', fetch: fake.fetch, retry: noWait });
    expect(channel).toBeInstanceOf(TwilioSmsChannel);
    const sms = { to: '+33612345678', body: 'Votre panier vous attend', sendId: await messageIdFor('st_sms', 'enr_1:sms') };
    const night = Date.UTC(2026, 10, 24, 21, 30); // 22:30 in Paris
    const deferred = await deliverSms(d, channel, record('st_sms'), sms, { now: night, timeZone: 'Europe/Paris' });
    expect(deferred).toEqual({ deferredUntil: Date.UTC(2026, 10, 25, 7, 0) });
    expect(await listContactMessages(d, 'st_sms', 'ct_1')).toEqual([]);
    const morning = Date.UTC(2026, 10, 25, 7, 0);
    const sent = await deliverSms(d, channel, record('st_sms'), sms, { now: morning, timeZone: 'Europe/Paris' });
    expect(sent).toMatchObject({ duplicate: false, message: { channel: 'sms', status: 'sent', text: 'Votre panier vous attend', providerMessageId: fake.sent[0]?.sid } });
    expect(await deliverSms(d, channel, record('st_sms'), sms, { now: morning, timeZone: 'Europe/Paris' })).toMatchObject({ duplicate: true });
    expect(fake.sent).toHaveLength(1);
  });

  it('keeps the SMS in the outbox without credentials and records opt-outs from the provider', async () => {
    const d = db(env.DB);
    const outbox = selectSmsChannel({ smsAccountSid: 'AC1' });
    expect(outbox).toBeInstanceOf(OutboxSmsChannel);
    const sms = { to: '+33612345678', body: 'Hi', sendId: await messageIdFor('st_sms_outbox', 'enr_1:sms') };
    const day = Date.UTC(2026, 10, 24, 12, 0);
    expect(await deliverSms(d, outbox, record('st_sms_outbox'), sms, { now: day, timeZone: 'Europe/Paris' })).toMatchObject({ message: { status: 'outbox' } });
    const fake = createTwilioFake('AC1', 'tw-token');
    fake.optedOut.add('+33612345678');
    const twilio = new TwilioSmsChannel({ accountSid: 'AC1', authToken: 'tw-token', from: '+33700000000', baseUrl: 'https://tw.fake', fetch: fake.fetch });
    const optedOut = { ...sms, sendId: await messageIdFor('st_sms_stop', 'enr_1:sms') };
    const noonInNewYork = Date.UTC(2026, 10, 24, 17, 0);
    expect(await deliverSms(d, twilio, record('st_sms_stop'), optedOut, { now: noonInNewYork, timeZone: 'America/New_York' })).toMatchObject({ message: { status: 'opted_out' } });
  });
});
