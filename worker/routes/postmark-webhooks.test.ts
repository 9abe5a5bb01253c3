import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../contacts/domain-events';
import { CHOICE_PARAM } from '../contacts/executors/send-email';
import { db } from '../db/client';
import { appendConsents, listConsents } from '../db/queries/consents';
import { findContact } from '../db/queries/contacts';
import { emailSuppression, isSuppressed } from '../db/queries/suppression';
import { listProviderEvents } from '../db/queries/provider-events';
import {
  basicAuth,
  postmark,
  postWebhook,
  providerEventCount,
  seedContact,
  seedPostmarkStore,
  seedSentMessage,
  variant,
} from '../test/postmark-fixtures';

const T = Date.parse('2026-11-05T16:00:00Z');

async function setup(storeId: string, email = 'jane.doe@example.com') {
  await seedPostmarkStore(storeId);
  const contactId = await seedContact(storeId, email);
  const sendId = `snd_${storeId}`;
  await seedSentMessage(storeId, contactId, { id: sendId, providerMessageId: `pm-${storeId}`, sentAt: T, enrollmentId: 'enr_1', stepId: 'email_1' });
  return { contactId, sendId, ref: { storeId, contactId, sendId } };
}

describe('POST /webhooks/postmark/:store: authentication', () => {
  it('answers 401 with WWW-Authenticate and stores nothing without valid Basic credentials', async () => {
    const { ref } = await setup('pm-auth');
    const body = variant(postmark.bounce, ref);
    for (const authorization of ['', basicAuth('postmark', 'wrong'), basicAuth('other', 'pm-webhook-password-1'), 'Bearer x', 'Basic !!!']) {
      const res = await postWebhook('pm-auth', body, { Authorization: authorization });
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic /);
    }
    expect(await providerEventCount('pm-auth')).toBe(0);
    expect(await isSuppressed(db(env.DB), 'pm-auth', ref.contactId)).toBe(false);
  });

  it('locks a store that has no webhook credentials, and answers an unknown store alike (401)', async () => {
    await seedPostmarkStore('pm-nocreds', { credentials: false });
    expect((await postWebhook('pm-nocreds', postmark.delivery)).status).toBe(401);
    expect((await postWebhook('pm-nowhere', postmark.delivery)).status).toBe(401);
    expect(await providerEventCount('pm-nocreds')).toBe(0);
  });
});

describe('POST /webhooks/postmark/:store: events', () => {
  it('stores a delivery linked by Metadata, once per trace id', async () => {
    const { ref } = await setup('pm-dedupe');
    const headers = { 'X-PM-Webhook-Trace-Id': 'trace-1' };
    const first = await postWebhook('pm-dedupe', variant(postmark.delivery, ref), headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, duplicate: false, kind: 'delivery' });
    const again = await postWebhook('pm-dedupe', variant(postmark.delivery, ref), headers);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const [row, ...rest] = await listProviderEvents(db(env.DB), 'pm-dedupe');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ stream: 'broadcast', recordType: 'Delivery', messageId: ref.sendId, contactId: ref.contactId, dedupeKey: 'trace:trace-1' });
    expect(row?.occurredAt).toBe(Date.parse('2026-11-05T16:33:54.907Z'));
  });

  it('links by Postmark MessageID when Metadata is missing, and dedupes on the fallback key without a trace id', async () => {
    const { ref } = await setup('pm-fallback');
    const body = { ...postmark.delivery, Metadata: {}, MessageID: 'pm-pm-fallback' };
    await postWebhook('pm-fallback', body);
    await postWebhook('pm-fallback', body);
    const rows = await listProviderEvents(db(env.DB), 'pm-fallback');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ messageId: ref.sendId, dedupeKey: expect.stringMatching(/^delivery:pm-pm-fallback:jane.doe@example.com:/) });
  });

  it('suppresses a hard bounce and withdraws consent once, even when the webhook is replayed', async () => {
    const { ref } = await setup('pm-hard', 'no-such-user@example.net');
    await appendConsents(db(env.DB), [{ storeId: 'pm-hard', contactId: ref.contactId, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: 1 }]);
    const headers = { 'X-PM-Webhook-Trace-Id': 'trace-hard' };
    for (let i = 0; i < 3; i++) expect((await postWebhook('pm-hard', variant(postmark.bounce, ref), headers)).status).toBe(200);
    const d = db(env.DB);
    expect(await emailSuppression(d, 'pm-hard', ref.contactId)).toBe('bounced');
    const ledger = await listConsents(d, 'pm-hard', ref.contactId);
    expect(ledger.map((c) => [c.granted, c.source])).toEqual([
      [false, 'provider'],
      [true, 'checkout'],
    ]);
  });

  it('does not suppress soft bounces or transient failures, and ignores auto-responders', async () => {
    const { ref } = await setup('pm-soft', 'no-such-user@example.net');
    const cases = [
      { ID: 1, Type: 'SoftBounce', TypeCode: 4096, Name: 'Soft bounce', Inactive: false, kind: 'soft_bounce' },
      { ID: 2, Type: 'Transient', TypeCode: 2, Inactive: false, kind: 'soft_bounce' },
      { ID: 3, Type: 'AutoResponder', TypeCode: 64, Inactive: false, kind: 'ignored' },
      { ID: 4, Type: 'Blocked', TypeCode: 100006, Inactive: false, kind: 'soft_bounce' },
    ];
    for (const { kind, ...fields } of cases) {
      const res = await postWebhook('pm-soft', variant(postmark.bounce, ref, fields));
      expect(await res.json()).toMatchObject({ kind });
    }
    expect(await isSuppressed(db(env.DB), 'pm-soft', ref.contactId)).toBe(false);
    expect(await listConsents(db(env.DB), 'pm-soft', ref.contactId)).toEqual([]);
    const hard = await postWebhook('pm-soft', variant(postmark.bounce, ref, { ID: 5, Type: 'BadEmailAddress', TypeCode: 100000 }));
    expect(await hard.json()).toMatchObject({ kind: 'hard_bounce' });
    expect(await emailSuppression(db(env.DB), 'pm-soft', ref.contactId)).toBe('bounced');
  });

  it('marks a spam complaint as complained, which a later unsubscribe does not weaken', async () => {
    const { ref } = await setup('pm-spam', 'complainer@example.org');
    expect(await (await postWebhook('pm-spam', variant(postmark.spamComplaint, ref))).json()).toMatchObject({ kind: 'complaint' });
    await postWebhook('pm-spam', variant(postmark.subscriptionChange, ref, { Recipient: 'complainer@example.org' }));
    expect(await emailSuppression(db(env.DB), 'pm-spam', ref.contactId)).toBe('complained');
  });

  it('honours a SubscriptionChange suppression and lifts it on reactivation', async () => {
    const { ref } = await setup('pm-sub');
    const d = db(env.DB);
    await appendConsents(d, [{ storeId: 'pm-sub', contactId: ref.contactId, channel: 'email', purpose: 'marketing', granted: true, source: 'popup', occurredAt: 1 }]);
    const res = await postWebhook('pm-sub', variant(postmark.subscriptionChange, ref));
    expect(await res.json()).toMatchObject({ kind: 'unsubscribe' });
    expect(await emailSuppression(d, 'pm-sub', ref.contactId)).toBe('unsubscribed');
    const reactivated = { ...postmark.subscriptionChange, SuppressSending: false, SuppressionReason: null, Tag: null, Metadata: {}, MessageID: null, ChangedAt: '2026-11-06T09:00:00.0000000Z' };
    expect(await (await postWebhook('pm-sub', reactivated)).json()).toMatchObject({ kind: 'reactivation' });
    expect((await findContact(d, 'pm-sub', ref.contactId))?.status).toBe('active');
    const ledger = await listConsents(d, 'pm-sub', ref.contactId);
    expect(ledger.map((c) => [c.granted, c.source])).toEqual([
      [true, 'provider'],
      [false, 'provider'],
      [true, 'popup'],
    ]);
  });

  it('keeps an unsubscribe the contact made through us when Postmark reactivates the address', async () => {
    const { ref } = await setup('pm-ours');
    const d = db(env.DB);
    await postWebhook('pm-ours', variant(postmark.bounce, ref, { Email: 'jane.doe@example.com' }));
    await appendConsents(d, [{ storeId: 'pm-ours', contactId: ref.contactId, channel: 'email', purpose: 'marketing', granted: false, source: 'unsubscribe', occurredAt: Date.parse('2026-11-05T17:00:00Z') }]);
    const reactivated = { ...postmark.subscriptionChange, SuppressSending: false, SuppressionReason: null, Metadata: {}, MessageID: null, Origin: 'Customer' };
    await postWebhook('pm-ours', reactivated);
    expect(await emailSuppression(d, 'pm-ours', ref.contactId)).toBe('bounced');
  });

  it('records a suppression we made through the API without counting it as an unsubscribe', async () => {
    const { ref } = await setup('pm-manual');
    const body = { ...postmark.subscriptionChange, Origin: 'Customer', SuppressionReason: 'ManualSuppression', MessageID: null, Metadata: {} };
    expect(await (await postWebhook('pm-manual', body)).json()).toMatchObject({ kind: 'suppression' });
    expect(await emailSuppression(db(env.DB), 'pm-manual', ref.contactId)).toBe('unsubscribed');
  });

  it("hands opens and clicks to the contact's agent as message.opened / message.clicked, once", async () => {
    const { ref } = await setup('pm-engage');
    await postWebhook('pm-engage', variant(postmark.open, ref), { 'X-PM-Webhook-Trace-Id': 'o1' });
    await postWebhook('pm-engage', variant(postmark.open, ref, { FirstOpen: false, ReceivedAt: '2026-11-05T17:00:00.0000000Z' }), { 'X-PM-Webhook-Trace-Id': 'o2' });
    await postWebhook('pm-engage', variant(postmark.click, ref), { 'X-PM-Webhook-Trace-Id': 'c1' });
    await postWebhook('pm-engage', variant(postmark.click, ref), { 'X-PM-Webhook-Trace-Id': 'c1' });
    const events = await env.CONTACT_AGENT.getByName(contactAgentName('pm-engage', ref.contactId)).listEvents();
    const engagement = events.filter((e) => e.type === 'message.opened' || e.type === 'message.clicked');
    expect(engagement.map((e) => e.type)).toEqual(['message.opened', 'message.clicked']);
    expect(engagement[0]).toMatchObject({ id: `open:${ref.sendId}`, messageId: ref.sendId, message: { enrollmentId: 'enr_1', nodeId: 'email_1' } });
    expect(engagement[1]).toMatchObject({ messageId: ref.sendId, url: postmark.click.OriginalLink, message: { enrollmentId: 'enr_1', nodeId: 'email_1', url: postmark.click.OriginalLink } });
    expect(await providerEventCount('pm-engage')).toBe(3);
    const stored = JSON.stringify(await listProviderEvents(db(env.DB), 'pm-engage'));
    expect(stored).not.toContain('203.0.113.42');
  });

  it('reads the choice key of a clicked choice link', async () => {
    const { ref } = await setup('pm-choice');
    const url = `https://shop.example.com/?${CHOICE_PARAM}=deals`;
    await postWebhook('pm-choice', variant(postmark.click, ref, { OriginalLink: url }));
    const events = await env.CONTACT_AGENT.getByName(contactAgentName('pm-choice', ref.contactId)).listEvents();
    expect(events.find((e) => e.type === 'message.clicked')).toMatchObject({ linkKey: 'deals', message: { nodeId: 'email_1', linkKey: 'deals', url } });
  });

  it('acknowledges unknown record types without storing them and rejects malformed bodies', async () => {
    await setup('pm-bad');
    const unknown = await postWebhook('pm-bad', { RecordType: 'InboundMessage', Foo: 1 });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ ignored: true });
    expect((await postWebhook('pm-bad', '{not json')).status).toBe(400);
    expect((await postWebhook('pm-bad', { RecordType: 'Bounce', ID: 'x' })).status).toBe(400);
    expect((await postWebhook('pm-bad', [1, 2])).status).toBe(400);
    expect(await providerEventCount('pm-bad')).toBe(0);
  });

  it('ignores Metadata that names another store', async () => {
    const { ref } = await setup('pm-cross');
    const res = await postWebhook('pm-cross', variant(postmark.spamComplaint, { ...ref, storeId: 'someone-else' }, { Email: 'nobody@example.org' }));
    expect(res.status).toBe(200);
    expect(await isSuppressed(db(env.DB), 'pm-cross', ref.contactId)).toBe(false);
  });
});
