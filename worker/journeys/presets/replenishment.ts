import { Flow, type FlowInput } from '../flow-schema';
import { $, when } from './build';

/**
 * One enrollment per purchased product that has a lifespan (product meta, set in the plugin
 * bridge): a reminder with a one-click re-order link at lifespan minus the lead time. Buying the
 * product again restarts its clock, so the reminder for the old purchase never goes out.
 */
const definition: FlowInput = {
  schemaVersion: 1,
  id: 'replenishment',
  version: 1,
  name: 'Predictive replenishment',
  description: 'Reminds customers to re-order consumables just before they run out.',
  settings: {
    leadTime: { kind: 'duration', value: '5d', label: 'Remind this long before the product runs out' },
    earliest: { kind: 'duration', value: '1d', label: 'Never earlier than after' },
    channel: { kind: 'channel', value: 'email', label: 'Reminder channel' },
    emailTemplate: { kind: 'template', value: 'replenishment.reminder', label: 'Reminder email' },
    smsTemplate: { kind: 'template', value: 'replenishment.sms', label: 'Reminder SMS' },
  },
  reentry: { mode: 'restart' },
  nodes: [
    {
      type: 'trigger',
      id: 'bought',
      on: { kind: 'event', event: 'order.paid', forEachItem: { where: [when('item', 'lifespanDays', 'gt', 0)] } },
      next: 'until_low',
    },
    {
      type: 'wait',
      id: 'until_low',
      until: {
        kind: 'duration',
        duration: { from: 'item', path: 'lifespanDays', unit: 'd', minus: $('leadTime'), min: $('earliest'), fallback: '30d' },
      },
      next: 'channel',
    },
    {
      type: 'branch',
      id: 'channel',
      cases: [
        { when: [when('setting', 'channel', 'eq', 'sms'), when('contact', 'reachable.sms', 'eq', true)], next: 'sms' },
        { when: [when('setting', 'channel', 'neq', 'none')], next: 'email' },
      ],
    },
    { type: 'send_sms', id: 'sms', template: $('smsTemplate') },
    { type: 'send_email', id: 'email', template: $('emailTemplate') },
  ],
};

export const replenishment: Flow = Flow.parse(definition);
