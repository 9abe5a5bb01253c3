import { findGuardrailSettings, smsWindowOf } from '../../db/queries/guardrail-settings';
import { findStoreSettings } from '../../db/queries/store-settings';
import { contactTimeZone } from '../time-zone';
import { selectSmsChannel } from '../../messaging/channels';
import { providerConfigOf } from '../../messaging/provider-config';
import { deliverSms, messageIdFor } from '../../messaging/email/deliver';
import { renderSms } from '../../messaging/email/render';
import { isSmsTemplateId, resolveLocale } from '../../messaging/templates';
import { ownerSmsSource } from '../../messaging/templates/owner-copy';
import { messageData } from './message-data';
import { sendGate } from './send-gate';
import type { Executor } from './types';

/**
 * Sends the flow's SMS at most once, only with SMS marketing consent, and only inside the store's
 * SMS window on the contact's clock: otherwise the outbox keeps the action and runs it again then.
 */
export const executeSendSms: Executor<'send_sms'> = async (ctx, action) => {
  const gate = await sendGate(ctx, action);
  if (gate.stop) return gate.stop;
  if (!isSmsTemplateId(action.template)) return { status: 'skipped', reason: `unknown SMS template ${action.template}` };
  const settings = await findStoreSettings(ctx.d, ctx.store.id);
  const data = await messageData(ctx, action.context, action.params, settings);
  if (!data) return { status: 'skipped', reason: 'store has no site URL' };
  const { recommendations: _r, ...smsData } = data;
  const locale = ctx.contact.locale ?? ctx.store.locale;
  const override = await ownerSmsSource(ctx.d, { storeId: ctx.store.id, flowId: action.flowId, stepId: action.nodeId, lang: resolveLocale(locale) });
  const body = await renderSms({ templateId: action.template, locale, data: smsData, ...(override !== undefined ? { override } : {}) });
  const channel = selectSmsChannel(providerConfigOf(ctx.env, settings));
  const sendId = await messageIdFor(ctx.store.id, action.idempotencyKey);
  const record = { storeId: ctx.store.id, contactId: ctx.contact.id, idempotencyKey: action.idempotencyKey, flowId: action.flowId, stepId: action.nodeId, enrollmentId: action.enrollmentId };
  const sms = { sendId, to: ctx.contact.phone ?? '', body };
  const smsWindow = smsWindowOf(await findGuardrailSettings(ctx.d, ctx.store.id));
  const delivery = await deliverSms(ctx.d, channel, record, sms, { now: ctx.now, timeZone: contactTimeZone(ctx.contact, ctx.store), smsWindow });
  if ('deferredUntil' in delivery) return { status: 'deferred', until: delivery.deferredUntil, reason: 'quiet hours' };
  if (delivery.result?.status === 'failed' && delivery.result.retryable) throw new Error(`sms ${sendId}: ${delivery.result.message}`);
  return { status: 'done' };
};
