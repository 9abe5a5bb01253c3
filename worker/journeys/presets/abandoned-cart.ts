import { Flow, type FlowInput } from '../flow-schema';
import { $, when } from './build';

/**
 * Cart idle 30 min → email (with a coupon for big carts) and an on-site reminder for the next
 * visit; no sign of the shopper within 1 h → SMS (only with SMS consent, never at night); 24 h
 * after the cart → retargeting audience. Any placed order (paid or awaiting payment), or an emptied
 * cart, ends it at once. The follow-up decides on what Nightshift can observe for every shopper: a
 * click in the email, a visit to the site, a cart change. Opens are not used: they are tracked only
 * with consent and mail clients open messages by themselves, so "unopened" says nothing. The
 * reminders are transactional-like for the send guardrails: not capped, and they go on while
 * promotions are paused.
 */
const definition: FlowInput = {
  schemaVersion: 1,
  id: 'abandoned-cart',
  version: 1,
  name: 'Abandoned cart cascade',
  description:
    'Email, SMS, on-site reminder and retargeting for carts left behind. The follow-up goes only when the shopper shows no sign after the email: no click, no visit to the site, no cart change. Any order, paid or awaiting payment, ends it.',
  settings: {
    idleDelay: { kind: 'duration', value: '30m', label: 'First reminder after the cart has been idle for' },
    firstTemplate: { kind: 'template', value: 'cart.reminder.1', label: 'First reminder email' },
    incentiveEnabled: { kind: 'boolean', value: true, label: 'Offer a coupon on large carts' },
    incentiveThreshold: { kind: 'number', value: 100, min: 0, label: 'Cart value that earns a coupon' },
    incentivePercent: { kind: 'number', value: 10, min: 1, max: 100, label: 'Coupon discount (%)' },
    couponValidity: { kind: 'duration', value: '7d', label: 'Coupon valid for' },
    promptEnabled: { kind: 'boolean', value: true, label: 'Remind on the next visit (on-site)' },
    promptTemplate: { kind: 'template', value: 'cart.prompt', label: 'On-site reminder' },
    promptTtl: { kind: 'duration', value: '3d', label: 'On-site reminder shown for' },
    openWindow: { kind: 'duration', value: '1h', label: 'Follow up when there is no click, visit or cart change within' },
    followUpChannel: { kind: 'channel', value: 'sms', label: 'Follow-up channel' },
    smsTemplate: { kind: 'template', value: 'cart.reminder.sms', label: 'Follow-up SMS' },
    secondTemplate: { kind: 'template', value: 'cart.reminder.2', label: 'Follow-up email' },
    audienceDelay: { kind: 'duration', value: '24h', label: 'Add to the retargeting audience after' },
    audienceEnabled: { kind: 'boolean', value: true, label: 'Use the retargeting audience' },
    audienceName: { kind: 'text', value: 'abandoned-cart', label: 'Retargeting audience' },
  },
  exitOn: [
    // Any placed order, paid or not (cheque, bank transfer, cash on delivery wait for payment).
    { event: 'order.placed' },
    { event: 'order.paid' },
    { event: 'cart_updated', where: [when('cart', 'itemCount', 'lte', 0)] },
  ],
  goal: { event: 'order.placed', within: '7d' },
  reentry: { mode: 'after_exit' },
  nodes: [
    { type: 'trigger', id: 'cart', on: { kind: 'event', event: 'cart_updated', where: [when('cart', 'itemCount', 'gt', 0)] }, next: 'idle' },
    { type: 'wait', id: 'idle', until: { kind: 'duration', duration: $('idleDelay'), restartOn: ['cart_updated'] }, next: 'incentive' },
    {
      type: 'branch',
      id: 'incentive',
      cases: [
        {
          when: [when('setting', 'incentiveEnabled', 'eq', true), when('cart', 'value', 'gte', $('incentiveThreshold'))],
          next: 'coupon',
        },
      ],
      otherwise: 'email_1',
    },
    { type: 'issue_coupon', id: 'coupon', discountType: 'percent', amount: $('incentivePercent'), validFor: $('couponValidity'), next: 'email_1' },
    { type: 'send_email', id: 'email_1', transactional: true, template: $('firstTemplate'), next: 'prompt' },
    { type: 'onsite_prompt', id: 'prompt', template: $('promptTemplate'), ttl: $('promptTtl'), enabled: $('promptEnabled'), next: 'engaged' },
    {
      type: 'wait',
      id: 'engaged',
      until: {
        kind: 'event',
        event: 'message.clicked',
        fromNode: 'email_1',
        orEvents: ['page_view', 'product_view', 'cart_updated', 'checkout_started'],
        timeout: $('openWindow'),
        onTimeout: 'follow_up',
      },
      next: 'later',
    },
    {
      type: 'branch',
      id: 'follow_up',
      cases: [
        { when: [when('setting', 'followUpChannel', 'eq', 'sms')], next: 'sms' },
        { when: [when('setting', 'followUpChannel', 'eq', 'email')], next: 'email_2' },
      ],
      otherwise: 'later',
    },
    { type: 'send_sms', id: 'sms', transactional: true, template: $('smsTemplate'), next: 'later' },
    { type: 'send_email', id: 'email_2', transactional: true, template: $('secondTemplate'), next: 'later' },
    { type: 'wait', id: 'later', until: { kind: 'duration', duration: $('audienceDelay'), since: 'enrollment' }, next: 'audience' },
    { type: 'add_to_audience', id: 'audience', audience: $('audienceName'), enabled: $('audienceEnabled') },
  ],
};

export const abandonedCart: Flow = Flow.parse(definition);
