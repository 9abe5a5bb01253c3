import { contactFactsForMessage, readsContactFacts } from '../../db/queries/contact-tags';
import { findSettingsAndWording, linkSigningKey } from '../../db/queries/store-settings';
import type { SendEmailAction } from '../../journeys/actions';
import { selectEmailChannel } from '../../messaging/channels';
import { senderOf } from '../../messaging/email/brand';
import { composeEmail } from '../../messaging/email/compose';
import { deliverEmail, messageIdFor } from '../../messaging/email/deliver';
import { providerConfigOf } from '../../messaging/provider-config';
import { queueEmail } from '../../messaging/email/send-queue';
import { isEmailTemplateId, localizeShippedText, resolveLocale, type Locale } from '../../messaging/templates';
import { emailSourceOf } from '../../messaging/templates/owner-copy';
import { importTokenKey } from '../../lib/tokens';
import { messageData, storeUrl } from './message-data';
import { recommendedProducts } from './recommendations';
import { openTrackingAllowed, sendConsents } from '../privacy/consent';
import { sendGate } from './send-gate';
import { sharedRead, type Executor, type ExecutorContext } from './types';

/** Query parameter carried by choice links; the click route reads it back as `linkKey`. */
export const CHOICE_PARAM = 'nightshift_choice';

function choiceLinks(site: string, choices: SendEmailAction['choices'], locale: Locale) {
  return choices.map((c) => ({ label: localizeShippedText(c.label, locale), url: `${site}/?${CHOICE_PARAM}=${encodeURIComponent(c.key)}` }));
}

/**
 * Renders the flow's email and hands it over at most once per idempotency key: with a Postmark
 * token the row is claimed as `queued` and the SEND queue sends it in a batch (429/5xx retries,
 * 406 suppression and the provider id are the consumer's); otherwise it goes into the outbox.
 */
export const executeSendEmail: Executor<'send_email'> = async (ctx, action) => {
  const locale = resolveLocale(ctx.contact.locale ?? ctx.store.locale);
  const step = { storeId: ctx.store.id, flowId: action.flowId, stepId: action.nodeId, lang: locale };
  // Read with the guardrails' reads (a send-stage batch then waits one round trip less); unused when the gate stops.
  const reading = sharedRead(ctx, `wording:${JSON.stringify(step)}`, () => findSettingsAndWording(ctx.d, step));
  reading.catch(() => undefined);
  const gate = await sendGate(ctx, action);
  if (gate.stop) return gate.stop;
  if (!isEmailTemplateId(action.template)) return { status: 'skipped', reason: `unknown email template ${action.template}` };
  const { settings, wording, openTracking } = await reading;
  const recommend = await recommendedProducts(ctx, action, gate.withoutProducts);
  if (action.skipIfEmpty && recommend.length === 0) return { status: 'skipped', reason: 'nothing_to_recommend' };
  const data = await messageData(ctx, action.context, action.params, settings, recommend);
  const site = storeUrl(ctx);
  if (!data || !site) return { status: 'skipped', reason: 'store has no site URL' };
  const sendId = await messageIdFor(ctx.store.id, action.idempotencyKey);
  const key = await sharedRead(ctx, `signing:${ctx.store.id}`, async () => importTokenKey(settings?.linkSigningKey ?? (await linkSigningKey(ctx.d, ctx.store.id, ctx.now))));
  const overrides = emailSourceOf(wording);
  const facts = overrides && readsContactFacts(Object.values(overrides)) ? await contactFactsForMessage(ctx.d, ctx.store.id, ctx.contact.id) : {};
  const email = await composeEmail({
    sendId,
    storeId: ctx.store.id,
    contactId: ctx.contact.id,
    flowId: action.flowId,
    from: senderOf(ctx.store, settings, storeUrl(ctx) ?? 'https://localhost'),
    to: ctx.contact.email ?? '',
    ...(settings?.replyTo ? { replyTo: settings.replyTo } : {}),
    tag: action.flowId,
    templateId: action.template,
    locale,
    ...(overrides ? { overrides } : {}),
    data: {
      ...data,
      contact: { ...data.contact, ...facts },
      choices: choiceLinks(site, action.choices, locale),
      ...(action.selection ? { selection: { label: localizeShippedText(action.selection, locale) } } : {}),
    },
    signing: { baseUrl: ctx.env.PUBLIC_BASE_URL, key },
    // The store's privacy switch first: off means no pixel, whatever the contact allows.
    trackOpens: openTracking && openTrackingAllowed((await sendConsents(ctx)).tracking, ctx.store, ctx.contact),
  });
  const record = { storeId: ctx.store.id, contactId: ctx.contact.id, idempotencyKey: action.idempotencyKey, flowId: action.flowId, stepId: action.nodeId, enrollmentId: action.enrollmentId };
  const config = providerConfigOf(ctx.env, settings);
  if (config.postmarkServerToken) {
    // Sent in batches by the SEND queue consumer, which records the provider's answer on the row.
    await queueEmail(ctx.d, ctx.env.SEND, record, { ...email, messageStream: config.postmarkMessageStream ?? 'broadcast' }, ctx.now);
    return { status: 'done' };
  }
  await deliverEmail(ctx.d, selectEmailChannel(config), record, email, ctx.now);
  return { status: 'done' };
};
