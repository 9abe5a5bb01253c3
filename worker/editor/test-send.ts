import type { Lang } from '../dashboard/copy';
import { AppError } from '../errors';
import { selectEmailChannel } from '../messaging/channels';
import { deliverEmail, messageIdFor } from '../messaging/email/deliver';
import { providerConfigOf } from '../messaging/provider-config';
import type { Locale } from '../messaging/templates';
import { newId } from '../lib/ids';
import { EDITOR_COPY } from './copy';
import { checkedRender, type Draft, type EditorScope } from './messages';
import type { MessageStep } from './steps';

/** Stands in for the recipient of test sends: no contact has this id, so no shopper's history or cap is touched. */
export const TEST_CONTACT_ID = 'owner-test';

function sender(scope: EditorScope): string {
  const host = new URL(scope.store.siteUrl ?? 'https://localhost').hostname;
  const email = scope.settings?.fromEmail ?? scope.store.adminEmail ?? `no-reply@${host}`;
  return scope.settings?.fromName ? `${scope.settings.fromName} <${email}>` : email;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function smsAsEmail(subject: string, text: string) {
  return { subject, text, html: `<pre style="white-space:pre-wrap;font:16px/1.5 sans-serif">${escapeHtml(text)}</pre>` };
}

/**
 * Sends the rendered step to the store owner only, through the same outbox/Postmark path as a
 * flow send, on the transactional stream. The row has no flow id (so no flow result counts it),
 * a `test` tag and a `[Test]` subject; an SMS step arrives as an email showing the text.
 */
export async function testSendStep(env: Env, scope: EditorScope, step: MessageStep, lang: Locale, draft: Draft, admin: Lang) {
  const copy = EDITOR_COPY[admin];
  const to = scope.store.adminEmail ?? scope.settings?.replyTo ?? scope.settings?.fromEmail;
  if (!to) throw new AppError(409, 'conflict', copy.noOwnerAddress);
  const rendered = await checkedRender(scope, step, lang, draft, admin);
  const idempotencyKey = `test:${scope.flow.id}:${step.stepId}:${lang}:${newId('t')}`;
  const sendId = await messageIdFor(scope.store.id, idempotencyKey);
  const content =
    rendered.channel === 'email'
      ? { subject: copy.testSubject(rendered.subject), html: rendered.html, text: rendered.text }
      : smsAsEmail(copy.testSubject(`SMS ${scope.flow.name} · ${step.stepId}`), `${rendered.text}\n\n(${rendered.sms.encoding}, ${rendered.sms.units} · ${rendered.sms.segments} SMS)`);
  const email = {
    sendId,
    from: sender(scope),
    to,
    ...content,
    tag: 'test',
    listUnsubscribeUrl: `https://${new URL(scope.baseUrl).host}/u/preview`,
    metadata: { store_id: scope.store.id, test: 'true', test_step: `${scope.flow.id}/${step.stepId}/${lang}` },
  };
  const record = { storeId: scope.store.id, contactId: TEST_CONTACT_ID, idempotencyKey };
  const delivery = await deliverEmail(scope.d, selectEmailChannel(providerConfigOf(env, scope.settings, { postmarkMessageStream: 'outbound' })), record, email, scope.now);
  return { messageId: delivery.message.id, status: delivery.message.status, to, subject: content.subject };
}
