import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../contacts/domain-events';
import { seedExecutorContext } from '../contacts/executors/test/seed';
import { appendConsents, currentConsent, listConsents } from '../db/queries/consents';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { listEventsOfContact } from '../db/queries/events';
import { updateStoreSettings } from '../db/queries/store-settings';
import { twilioSignature } from '../messaging/sms/sms-signature';

/** In the past: the webhook stamps ledger rows with the real clock, and the latest row is in force. */
const NOW = Date.now() - 60_000;
const TOKEN = 'twilio-auth-token-for-tests';
const PHONE = '+33612345678';

async function setup(storeId: string) {
  const ctx = await seedExecutorContext(storeId, NOW, {}, { phone: PHONE });
  await updateStoreSettings(ctx.d, storeId, { smsAuthToken: TOKEN, smsAccountSid: 'AC1' }, NOW);
  await appendConsents(ctx.d, [{ storeId, contactId: ctx.contact.id, channel: 'sms', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: NOW - 1000 }]);
  return ctx;
}

async function inbound(storeId: string, body: string, sid: string, token = TOKEN) {
  const form = new URLSearchParams({ MessageSid: sid, AccountSid: 'AC1', From: PHONE, To: '+33700000000', Body: body });
  const publicUrl = `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/webhooks/sms/${storeId}`;
  const signature = await twilioSignature(token, publicUrl, form.entries());
  return SELF.fetch(`https://ns.test/webhooks/sms/${storeId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body: form.toString(),
  });
}

describe('POST /webhooks/sms/:store', () => {
  it('STOP withdraws SMS consent once, tells the journeys, and answers empty TwiML', async () => {
    const ctx = await setup('sms-stop');
    const res = await inbound('sms-stop', 'Stop', 'SM100');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/xml');
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await currentConsent(ctx.d, 'sms-stop', ctx.contact.id, 'sms', 'marketing')).toMatchObject({ granted: false, source: 'unsubscribe' });
    expect((await inbound('sms-stop', 'Stop', 'SM100')).status).toBe(200);
    expect(await listConsents(ctx.d, 'sms-stop', ctx.contact.id)).toHaveLength(2);
    const events = (await listEventsOfContact(ctx.d, 'sms-stop', ctx.contact.id)).filter((e) => e.type === 'sms.stop');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventKey: `sms:SM100:${ctx.contact.id}`, properties: { from: PHONE } });
    const agent = env.CONTACT_AGENT.getByName(contactAgentName('sms-stop', ctx.contact.id));
    expect((await agent.listEvents()).filter((e) => e.type === 'sms.stop').map((e) => e.id)).toEqual([`sms:SM100:${ctx.contact.id}`]);
  });

  it('understands French aliases and applies to every contact with that number', async () => {
    const ctx = await setup('sms-alias');
    const twin = (await findOrCreateContactByEmail(ctx.d, 'sms-alias', 'twin@example.net', NOW, { phone: PHONE })).contact;
    await inbound('sms-alias', 'ARRET', 'SM200');
    for (const id of [ctx.contact.id, twin.id]) {
      expect(await currentConsent(ctx.d, 'sms-alias', id, 'sms', 'marketing')).toMatchObject({ granted: false, source: 'unsubscribe' });
    }
  });

  it('START lifts a STOP but never opts in someone who had not consented', async () => {
    const ctx = await setup('sms-start');
    await inbound('sms-start', 'STOP', 'SM300');
    await inbound('sms-start', 'START', 'SM301');
    expect(await currentConsent(ctx.d, 'sms-start', ctx.contact.id, 'sms', 'marketing')).toMatchObject({ granted: true, source: 'provider' });
    await inbound('sms-start', 'START', 'SM301');
    expect(await listConsents(ctx.d, 'sms-start', ctx.contact.id)).toHaveLength(3);

    const stranger = (await findOrCreateContactByEmail(ctx.d, 'sms-start', 'new@example.net', NOW, { phone: '+33699999999' })).contact;
    const form = new URLSearchParams({ MessageSid: 'SM302', AccountSid: 'AC1', From: '+33699999999', To: '+33700000000', Body: 'UNSTOP' });
    const url = `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/webhooks/sms/sms-start`;
    await SELF.fetch('https://ns.test/webhooks/sms/sms-start', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': await twilioSignature(TOKEN, url, form.entries()) },
      body: form.toString(),
    });
    expect(await currentConsent(ctx.d, 'sms-start', stranger.id, 'sms', 'marketing')).toBeUndefined();
  });

  it('rejects bad signatures, unknown stores and stores without SMS set up', async () => {
    const ctx = await setup('sms-auth');
    expect((await inbound('sms-auth', 'STOP', 'SM400', 'wrong-token-xxxxxxxx')).status).toBe(401);
    expect(await currentConsent(ctx.d, 'sms-auth', ctx.contact.id, 'sms', 'marketing')).toMatchObject({ granted: true });
    expect((await inbound('sms-nope', 'STOP', 'SM401')).status).toBe(401);
    await seedExecutorContext('sms-unset', NOW);
    expect((await inbound('sms-unset', 'STOP', 'SM402')).status).toBe(401);
  });
});
