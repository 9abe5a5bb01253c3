import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { appendConsents } from '../../db/queries/consents';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { claimMessage, completeMessage } from '../../db/queries/messages';
import { providerSuppressionStatements, type SuppressedStatus } from '../../db/queries/suppression';
import { ingestPostmarkEvent } from '../../deliverability/ingest-postmark';
import { PostmarkEvent } from '../../deliverability/postmark-events';
import { postmark } from '../../test/postmark-fixtures';
import { applySmsReply } from '../sms/sms-replies';
import { checkSend } from './index';
import { HOUR, request, T0, world, type World } from './test/world';

async function suppress(w: World, status: SuppressedStatus) {
  const [first, ...rest] = providerSuppressionStatements(w.d, { storeId: w.store.id, contactId: w.contact.id, status, occurredAt: T0 - HOUR, now: T0 - HOUR });
  await w.d.batch([first!, ...rest]);
}

describe('suppression', () => {
  for (const status of ['bounced', 'complained', 'unsubscribed'] as const) {
    it(`blocks email and SMS, reminders included, once the contact is ${status}`, async () => {
      const w = await world(`st_sup_${status}`, { smsConsent: true });
      expect((await checkSend(w.ctx(T0), request({ channel: 'sms' }))).action).toBe('send');
      await suppress(w, status);
      for (const channel of ['email', 'sms'] as const) {
        expect(await checkSend(w.ctx(T0), request({ channel, transactional: true }))).toEqual({ action: 'skip', reason: `suppressed_${status}` });
      }
    });
  }

  it('blocks every channel once a Postmark spam complaint for the address comes in', async () => {
    const w = await world('st_sup_postmark', { smsConsent: true, email: 'complainer@example.org' });
    const event = PostmarkEvent.parse(postmark.spamComplaint);
    await ingestPostmarkEvent(env, w.d, w.store.id, event, 'trace-complaint-1', T0);
    for (const channel of ['email', 'sms'] as const) {
      expect(await checkSend(w.ctx(T0 + 1000), request({ channel, transactional: true }))).toEqual({ action: 'skip', reason: 'suppressed_complained' });
    }
  });

  it('honours a withdrawn email consent at once, and needs a consent in the first place', async () => {
    const w = await world('st_sup_consent');
    await appendConsents(w.d, [{ storeId: w.store.id, contactId: w.contact.id, channel: 'email', purpose: 'marketing', granted: false, source: 'unsubscribe', occurredAt: T0 - 1 }]);
    expect(await checkSend(w.ctx(T0), request())).toEqual({ action: 'skip', reason: 'email_consent_withdrawn' });
    const { contact } = await findOrCreateContactByEmail(w.d, w.store.id, 'never@asked.test', T0 - HOUR);
    expect(await checkSend({ ...w.ctx(T0), contact }, request())).toEqual({ action: 'skip', reason: 'no_email_consent' });
  });

  it('stops SMS at once when the contact texts STOP, reminders included', async () => {
    const w = await world('st_sup_stop', { smsConsent: true });
    expect((await checkSend(w.ctx(T0), request({ channel: 'sms' }))).action).toBe('send');
    const message = { MessageSid: 'SM_stop_1', AccountSid: 'AC1', From: '+33612345678', To: '+33700000000', Body: 'Stop merci' };
    await applySmsReply(env, w.d, { storeId: w.store.id, message, keyword: 'stop', now: T0 + 1000 });
    expect(await checkSend(w.ctx(T0 + 2000), request({ channel: 'sms', transactional: true }))).toEqual({ action: 'skip', reason: 'no_sms_consent' });
    expect((await checkSend(w.ctx(T0 + 2000), request({ channel: 'email' }))).action).toBe('send');
  });

  it('sends SMS only with SMS consent, and never after STOP', async () => {
    const w = await world('st_sup_sms');
    expect(await checkSend(w.ctx(T0), request({ channel: 'sms' }))).toEqual({ action: 'skip', reason: 'no_sms_consent' });
    await appendConsents(w.d, [{ storeId: w.store.id, contactId: w.contact.id, channel: 'sms', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: T0 - 2 * HOUR }]);
    expect((await checkSend(w.ctx(T0), request({ channel: 'sms' }))).action).toBe('send');
    // The provider refused an SMS because the number texted STOP (Twilio 21610) before we heard of it.
    const row = { id: 'snd_stop', storeId: w.store.id, contactId: w.contact.id, idempotencyKey: 'x:sms', channel: 'sms' as const, subject: null, html: null, text: 'Hi', to: '+33612345678', createdAt: T0 - HOUR };
    await claimMessage(w.d, row);
    await completeMessage(w.d, w.store.id, row.id, { status: 'opted_out', error: 'unsubscribed recipient' });
    expect(await checkSend(w.ctx(T0), request({ channel: 'sms', transactional: true }))).toEqual({ action: 'skip', reason: 'sms_stop' });
    await appendConsents(w.d, [{ storeId: w.store.id, contactId: w.contact.id, channel: 'sms', purpose: 'marketing', granted: false, source: 'provider', occurredAt: T0 - 1 }]);
    expect(await checkSend(w.ctx(T0), request({ channel: 'sms' }))).toEqual({ action: 'skip', reason: 'no_sms_consent' });
  });
});
