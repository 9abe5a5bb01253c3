import { Flow, type FlowInput } from '../flow-schema';
import { $, when } from './build';

/**
 * Three independent recognitions, each with its own re-entry rule: lifetime spend crossing the VIP
 * threshold (tag + perks email, once), the N-th order (a unique thank-you coupon and email, once),
 * and a birthday coupon sent at a set local time (once a year). A coupon WooCommerce could not
 * create (no REST keys yet: `pending_keys`) is never shown: the milestone email then thanks the
 * contact without promising a gift, and the birthday email wishes without one.
 */
const definition: FlowInput = {
  schemaVersion: 1,
  id: 'vip-loyalty',
  version: 1,
  name: 'VIP, loyalty and birthday',
  topics: ['offers'],
  description: 'Recognises the best customers, loyalty milestones and birthdays.',
  settings: {
    vipThreshold: { kind: 'number', value: 500, min: 0, label: 'Lifetime spend that makes a VIP' },
    vipTag: { kind: 'text', value: 'vip', label: 'VIP tag' },
    vipTemplate: { kind: 'template', value: 'vip.perks', label: 'VIP perks email' },
    vipPerks: { kind: 'list', value: ['Free shipping', 'Early access to new products'], label: 'VIP perks listed in the email' },
    loyaltyOrders: { kind: 'number', value: 5, min: 2, label: 'Loyalty milestone after this many orders' },
    loyaltyGiftEnabled: { kind: 'boolean', value: true, label: 'Give a coupon at the milestone' },
    loyaltyPercent: { kind: 'number', value: 10, min: 1, max: 100, label: 'Milestone discount (%)' },
    loyaltyValidity: { kind: 'duration', value: '30d', label: 'Milestone coupon valid for' },
    loyaltyTemplate: { kind: 'template', value: 'loyalty.milestone', label: 'Milestone email' },
    birthdayEnabled: { kind: 'boolean', value: true, label: 'Send a birthday gift' },
    birthdaySendAt: { kind: 'time', value: '09:00', label: 'Birthday email at (contact’s time)' },
    birthdayPercent: { kind: 'number', value: 15, min: 1, max: 100, label: 'Birthday discount (%)' },
    birthdayValidity: { kind: 'duration', value: '30d', label: 'Birthday coupon valid for' },
    birthdayTemplate: { kind: 'template', value: 'birthday.gift', label: 'Birthday email' },
  },
  reentry: { mode: 'once' },
  nodes: [
    {
      type: 'trigger',
      id: 'vip',
      on: { kind: 'event', event: 'order.paid', where: [when('contact', 'stats.totalSpent', 'gte', $('vipThreshold'))] },
      reentry: { mode: 'once' },
      next: 'tag_vip',
    },
    { type: 'set_tag', id: 'tag_vip', tag: $('vipTag'), next: 'vip_email' },
    { type: 'send_email', id: 'vip_email', template: $('vipTemplate'), params: { 'vip.perks': $('vipPerks') } },
    {
      type: 'trigger',
      id: 'loyalty',
      on: { kind: 'event', event: 'order.paid', where: [when('contact', 'stats.ordersCount', 'gte', $('loyaltyOrders'))] },
      reentry: { mode: 'once' },
      next: 'loyalty_gift',
    },
    {
      type: 'issue_coupon',
      id: 'loyalty_gift',
      discountType: 'percent',
      amount: $('loyaltyPercent'),
      validFor: $('loyaltyValidity'),
      enabled: $('loyaltyGiftEnabled'),
      next: 'loyalty_email',
    },
    { type: 'send_email', id: 'loyalty_email', template: $('loyaltyTemplate'), params: { 'milestone.orders': $('loyaltyOrders') } },
    {
      type: 'trigger',
      id: 'birthday',
      on: { kind: 'date', field: 'birthday', where: [when('setting', 'birthdayEnabled', 'eq', true)] },
      reentry: { mode: 'after_exit', cooldown: '300d' },
      next: 'morning',
    },
    { type: 'wait', id: 'morning', until: { kind: 'time_of_day', time: $('birthdaySendAt') }, next: 'gift' },
    { type: 'issue_coupon', id: 'gift', discountType: 'percent', amount: $('birthdayPercent'), validFor: $('birthdayValidity'), next: 'birthday_email' },
    { type: 'send_email', id: 'birthday_email', template: $('birthdayTemplate') },
  ],
};

export const vipLoyalty: Flow = Flow.parse(definition);
